package dev.bizmetrics.agent.launch;

/**
 * Recognises the JDK's own tools ({@code jcmd}, {@code jps}, {@code jstack}, {@code javac}, ...), which also start
 * the agent when it is given in {@code JAVA_TOOL_OPTIONS}; the agent stays out of them.
 */
final class JdkTools {

    private static final String[] PREFIXES = {"sun.tools.", "com.sun.tools.", "jdk.", "sun.security.tools.",
        "sun.rmi.", "com.sun.jndi."};

    private JdkTools() {
    }

    /** @param command the JVM's {@code sun.java.command}: main class or jar, then arguments */
    static boolean isJdkTool(String command) {
        if (command == null) {
            return false;
        }
        String main = mainOf(command);
        int slash = main.indexOf('/');
        if (slash > 0 && !main.endsWith(".jar")) {
            main = main.substring(slash + 1); // module/class form, e.g. jdk.jcmd/sun.tools.jcmd.JCmd
        }
        for (String prefix : PREFIXES) {
            if (main.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The first word of {@code sun.java.command}: the main class, or the jar run with {@code -jar}. */
    static String mainOf(String command) {
        String main = command.trim();
        int space = main.indexOf(' ');
        return space > 0 ? main.substring(0, space) : main;
    }
}
