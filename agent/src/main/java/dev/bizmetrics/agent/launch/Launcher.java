package dev.bizmetrics.agent.launch;

import dev.bizmetrics.agent.Agent;
import dev.bizmetrics.agent.config.AgentArguments;
import dev.bizmetrics.agent.config.AgentMain;
import dev.bizmetrics.agent.config.ConfigSource;
import dev.bizmetrics.agent.instrument.PoolTransformer;
import dev.bizmetrics.agent.log.Log;

import java.lang.instrument.Instrumentation;

/**
 * Entry point for {@code -javaagent} and dynamic attach. On the host's thread it only parses the arguments, puts the
 * registry on the bootstrap class path and registers the transformer, so that no pool class loaded afterwards is
 * missed; everything else starts on the daemon thread {@code bizmetrics-init}. It never throws and never exits the JVM.
 */
public final class Launcher {

    /**
     * Set by the first start; a second {@code -javaagent} of this jar, or an attach after one, only logs. A lock, not
     * an {@code AtomicBoolean}: on Java 9+ that loads the {@code VarHandle} machinery in premain.
     */
    private static boolean started;

    private Launcher() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        start(args, instrumentation, false);
    }

    public static void agentmain(String args, Instrumentation instrumentation) {
        start(args, instrumentation, true);
    }

    /** The command line: {@code java -jar bizmetrics-agent.jar version | check PATH | list | attach PID [ARGS]}. */
    public static void main(String[] args) {
        System.exit(Commands.run(args, System.out, System.err));
    }

    private static void enableGenericDiscoveryIfAsked(ConfigSource.Read config, PoolTransformer transformer) {
        try {
            // Read through the same sources as the rest of the configuration, which reports a bad value.
            String generic = config.value("discovery.generic");
            if (generic != null && generic.trim().equalsIgnoreCase("true")) {
                transformer.enableGeneric();
            }
        } catch (Throwable t) {
            Log.error("could not turn on generic discovery; recognised pools are still found", t);
        }
    }

    /**
     * True in the JVM of {@code java -jar bizmetrics-agent.jar attach ...} itself, which also starts the agent when
     * it is in {@code JAVA_TOOL_OPTIONS}.
     */
    static boolean isOwnCommandLine(String command) {
        if (command == null) {
            return false;
        }
        String main = JdkTools.mainOf(command);
        if (main.equals(Launcher.class.getName())) {
            return true;
        }
        if (!main.endsWith(".jar")) {
            return false;
        }
        String own = Attacher.ownJarPath();
        return own != null && new java.io.File(main).toPath().toAbsolutePath().normalize().toString().equals(own);
    }

    /**
     * Set in the host once the agent runs, so that {@code attach} can tell a JVM that runs it already. Not under
     * {@code bizmetrics.}: those system properties are configuration keys.
     */
    static final String RUNNING_PROPERTY = "dev.bizmetrics.running";

    private static synchronized boolean firstStart() {
        boolean first = !started;
        started = true;
        if (first) {
            System.setProperty(RUNNING_PROPERTY, dev.bizmetrics.agent.Version.get());
        }
        return first;
    }

    private static void start(String args, Instrumentation instrumentation, final boolean attached) {
        try {
            final String command = System.getProperty("sun.java.command");
            if (isOwnCommandLine(command)) {
                return;
            }
            final AgentArguments arguments = AgentArguments.parse(args);
            ConfigSource.Read config = ConfigSource.forThisProcess(arguments).read();
            final String mainFilter = config.value(AgentMain.KEY);
            String idle = JvmRoles.idleReason(command);
            if (idle != null && mainFilter == null) {
                // A JDK tool's output is read by scripts, often with stderr: it gets no line of ours at all.
                if (JdkTools.isJdkTool(command)) {
                    Log.debug(StartDecision.idleLine(idle));
                } else {
                    Log.info(StartDecision.idleLine(idle));
                }
                return;
            }
            if (!firstStart()) {
                Log.warn("the agent is already running in this JVM; ignoring this start (-javaagent given twice?)");
                return;
            }
            BootstrapInjector.inject(instrumentation);
            JBossModules.shareRegistry(command, attached);
            final PoolTransformer transformer = PoolTransformer.register(instrumentation);
            enableGenericDiscoveryIfAsked(config, transformer);
            final Instrumentation inst = instrumentation;
            Thread init = new Thread(new Runnable() {
                @Override
                public void run() {
                    try {
                        if (!StartDecision.runs(mainFilter, command, inst)) {
                            inst.removeTransformer(transformer);
                            return;
                        }
                    } catch (Throwable t) {
                        inst.removeTransformer(transformer);
                        Log.error("could not tell whether to run in this JVM; the application runs on without "
                                + "bizmetrics", t);
                        return;
                    }
                    Agent.start(arguments, inst, transformer, attached);
                }
            }, "bizmetrics-init");
            init.setDaemon(true);
            // Discovery looks JNDI names up with the loader the application started with (inherited anyway; said here
            // because it matters).
            init.setContextClassLoader(Thread.currentThread().getContextClassLoader());
            init.start();
        } catch (Throwable t) {
            Log.error("could not start; the application runs on without bizmetrics", t);
        }
    }
}
