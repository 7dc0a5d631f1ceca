package dev.bizmetrics.agent.launch;

/**
 * Tells, from {@code sun.java.command} alone, the JVMs that only build or administer: the JDK's tools, Maven and
 * Gradle (their launchers, daemons and workers), the Kotlin compile daemon, and Keycloak's commands other than
 * {@code start} and {@code start-dev}. They get the agent through {@code JAVA_TOOL_OPTIONS}, {@code MAVEN_OPTS} or
 * {@code JAVA_OPTS_APPEND} along with the application, and have no database of the application to read. Plain
 * string tests, no regular expression: this runs in {@code premain} on the host's main thread. Of the command's
 * arguments only Keycloak's verb is looked at, and only a known verb is ever shown.
 */
final class JvmRoles {

    /** Main classes (or their prefixes) of build tools: what they are, for the log line. */
    private static final String[][] BUILD_TOOLS = {
        {"org.codehaus.plexus.classworlds.launcher.", "Maven"},
        {"org.apache.maven.wrapper.", "the Maven wrapper"},
        {"org.apache.maven.cling.", "Maven"},
        {"org.mvndaemon.mvnd.", "the Maven daemon (mvnd)"},
        {"org.gradle.", "Gradle"},
        {"worker.org.gradle.", "a Gradle worker"},
        {"org.jetbrains.kotlin.daemon.", "the Kotlin compile daemon"},
    };

    /** Keycloak's commands that build, export, import or print, and never serve. */
    private static final String[] KEYCLOAK_ADMIN_VERBS = {"build", "export", "import", "show-config", "tools",
        "bootstrap-admin", "update-compatibility", "help"};

    static final String QUARKUS_ENTRY_POINT = "io.quarkus.bootstrap.runner.QuarkusEntryPoint";

    private JvmRoles() {
    }

    /**
     * Why this JVM only builds or administers, e.g. {@code "Maven (org.codehaus.plexus.classworlds.launcher.Launcher)"};
     * null for any other JVM.
     *
     * @param command the JVM's {@code sun.java.command}: main class or jar, then arguments
     */
    static String idleReason(String command) {
        if (command == null || command.trim().isEmpty()) {
            return null;
        }
        String main = JdkTools.mainOf(command);
        if (JdkTools.isJdkTool(command)) {
            return "a tool of the JDK (" + main + ")";
        }
        for (String[] tool : BUILD_TOOLS) {
            if (main.startsWith(tool[0])) {
                return tool[1] + " (" + main + ")";
            }
        }
        if (isQuarkusEntryPoint(command)) {
            String verb = keycloakVerb(command);
            for (String admin : KEYCLOAK_ADMIN_VERBS) {
                if (admin.equals(verb)) {
                    return "Keycloak's '" + verb + "' command (kc.sh " + verb + "), which does not serve";
                }
            }
            if (asksForHelp(command)) {
                return "Keycloak's help or version output (kc.sh ... --help)";
            }
        }
        return null;
    }

    /** Quarkus's runner: Keycloak's {@code kc.sh}, or {@code java -jar quarkus-run.jar}. */
    static boolean isQuarkusEntryPoint(String command) {
        if (command == null) {
            return false;
        }
        String main = JdkTools.mainOf(command);
        return main.equals(QUARKUS_ENTRY_POINT) || main.endsWith("quarkus-run.jar");
    }

    /**
     * The first argument that is not an option ({@code build} in {@code ... build --db=postgres}); "" when there is
     * none. Never logged unless it is a known verb.
     */
    static String keycloakVerb(String command) {
        String[] words = words(command);
        for (int i = 1; i < words.length; i++) {
            if (!words[i].startsWith("-")) {
                return words[i];
            }
        }
        return "";
    }

    private static boolean asksForHelp(String command) {
        for (String word : words(command)) {
            if (word.equals("--help") || word.equals("-h") || word.equals("--version") || word.equals("-V")) {
                return true;
            }
        }
        return false;
    }

    /** Split at spaces without a regular expression ({@code String.split} would compile one here). */
    private static String[] words(String command) {
        java.util.List<String> words = new java.util.ArrayList<String>();
        int start = -1;
        for (int i = 0; i <= command.length(); i++) {
            boolean space = i == command.length() || Character.isWhitespace(command.charAt(i));
            if (space && start >= 0) {
                words.add(command.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return words.toArray(new String[0]);
    }
}
