package dev.bizmetrics.agent.launch;

import dev.bizmetrics.agent.Agent;
import dev.bizmetrics.agent.instrument.PoolTransformer;
import dev.bizmetrics.agent.log.Log;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Entry point for {@code -javaagent} and dynamic attach. On the host's thread it only parses the arguments, puts the
 * registry on the bootstrap class path and adds the transformer, so that no pool class loaded afterwards is missed;
 * everything else starts on the daemon thread {@code bizmetrics-init}. It never throws and never exits the JVM.
 */
public final class Launcher {

    /** Set by the first start; a second {@code -javaagent} of this jar, or an attach after one, only logs. */
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private Launcher() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        start(args, instrumentation);
    }

    public static void agentmain(String args, Instrumentation instrumentation) {
        start(args, instrumentation);
    }

    /** The command line: {@code java -jar bizmetrics-agent.jar version | check PATH}. */
    public static void main(String[] args) {
        System.exit(Commands.run(args, System.out, System.err));
    }

    private static void start(String args, Instrumentation instrumentation) {
        try {
            if (JdkTools.isJdkTool(System.getProperty("sun.java.command"))) {
                return;
            }
            if (!STARTED.compareAndSet(false, true)) {
                Log.warn("the agent is already running in this JVM; ignoring this start (-javaagent given twice?)");
                return;
            }
            final AgentArguments arguments = AgentArguments.parse(args);
            BootstrapInjector.inject(instrumentation);
            final PoolTransformer transformer = new PoolTransformer();
            instrumentation.addTransformer(transformer, true);
            final Instrumentation inst = instrumentation;
            Thread init = new Thread(new Runnable() {
                @Override
                public void run() {
                    Agent.start(arguments, inst, transformer);
                }
            }, "bizmetrics-init");
            init.setDaemon(true);
            init.start();
        } catch (Throwable t) {
            Log.error("could not start; the application runs on without bizmetrics", t);
        }
    }
}
