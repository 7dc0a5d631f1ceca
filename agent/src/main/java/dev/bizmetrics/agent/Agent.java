package dev.bizmetrics.agent;

import dev.bizmetrics.agent.config.AgentArguments;
import dev.bizmetrics.agent.config.ConfigSource;
import dev.bizmetrics.agent.instrument.DefinitionHook;
import dev.bizmetrics.agent.instrument.PoolTransformer;
import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.agent.runtime.HostStartup;
import dev.bizmetrics.agent.runtime.Runtime;

import java.lang.instrument.Instrumentation;

/**
 * The composition root, run on the {@code bizmetrics-init} thread once the transformer is in place: finishes the
 * instrumentation, waits for the host's start-up to settle, and starts the {@link Runtime}, which owns everything
 * from then on. Its threads keep it alive; nothing here is static.
 */
public final class Agent {

    private Agent() {
    }

    /** Said after an attach until a DataSource is seen; also on the status page and by the attach command. */
    public static final String WAITS_FOR_NEXT_DATABASE_CALL = "the agent waits for the application's next database "
            + "call: pools created before the attach are found on their next getConnection";

    /**
     * Never throws: whatever goes wrong is logged and the host runs on.
     *
     * @param attached true after a dynamic attach, when the application's pools may all exist already
     */
    public static void start(AgentArguments arguments, final Instrumentation instrumentation,
                             PoolTransformer transformer, boolean attached) {
        try {
            transformer.retransformLoaded();
            String transformerStays = DefinitionHook.install(instrumentation, transformer);
            HostStartup.awaitSettled(new HostStartup.ClassCount() {
                @Override
                public int loaded() {
                    return instrumentation.getAllLoadedClasses().length;
                }
            });
            Runtime runtime = new Runtime(ConfigSource.forThisProcess(arguments), Version.get(),
                    poolFinding(transformerStays));
            runtime.start();
            if (attached && runtime.snapshot().discovery().seen().isEmpty()) {
                Log.info("no DataSource seen yet: " + WAITS_FOR_NEXT_DATABASE_CALL);
            }
        } catch (Throwable t) {
            Log.error("failed to start; the application runs on without bizmetrics", t);
        }
    }

    private static String poolFinding(String transformerStays) {
        return transformerStays == null ? "as their classes are defined (a hook in java.lang.ClassLoader)"
                : "by a class-file transformer that sees every class loaded, as " + transformerStays;
    }
}
