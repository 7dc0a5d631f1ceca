package dev.bizmetrics.agent.launch;

import dev.bizmetrics.agent.config.AgentMain;
import dev.bizmetrics.agent.log.Log;

import java.lang.instrument.Instrumentation;

/**
 * Whether the agent runs in this JVM, decided on {@code bizmetrics-init} before anything of it starts (no port, no
 * query, no hook in {@code java.lang.ClassLoader} until then): {@code agent.main} when it is set, else whether a
 * Quarkus JVM augments. Each "no" is one {@code [bizmetrics]} line saying why and how to change it.
 */
final class StartDecision {

    private StartDecision() {
    }

    /** The line for a JVM the agent leaves alone. */
    static String idleLine(String why) {
        return "this JVM is " + why + ": it only builds or administers, so the agent stays idle here (no port, no "
                + "query). To run it here anyway, set " + AgentMain.KEY + " to a regular expression found in this "
                + "JVM's main class or jar";
    }

    /**
     * @param mainFilter the value of {@code agent.main}, or null
     * @param command    {@code sun.java.command}
     * @return true when the agent should start
     */
    static boolean runs(String mainFilter, String command, Instrumentation instrumentation) {
        String main = command == null ? "" : JdkTools.mainOf(command);
        if (mainFilter != null) {
            String problem = AgentMain.problem(mainFilter);
            if (problem != null) {
                Log.error(AgentMain.KEY + " " + problem + "; the agent stays off in this JVM until it is fixed and "
                        + "the JVM restarted");
                return false;
            }
            if (!AgentMain.matches(mainFilter, main)) {
                Log.info(AgentMain.KEY + " does not match this JVM's main class or jar (" + main + "): the agent "
                        + "stays idle here (no port, no query)");
                return false;
            }
            return true;
        }
        if (JvmRoles.isQuarkusEntryPoint(command) && QuarkusPhase.awaitAugmenting(instrumentation)) {
            Log.info(idleLine("a Quarkus augmentation (a build step: kc.sh build, or the first JVM of kc.sh start-dev "
                    + "or of an unoptimised kc.sh start; the JVM that then serves runs the agent)"));
            return false;
        }
        return true;
    }
}
