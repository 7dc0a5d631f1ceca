package dev.bizmetrics.agent.launch;

import dev.bizmetrics.agent.log.Log;

/**
 * WildFly and JBoss EAP run on JBoss Modules, whose modules see of the boot class path only the packages listed in
 * {@code jboss.modules.system.pkgs}; a pool class woven there calls the agent's registry, so its package must be one.
 * Started with the JVM, the agent adds it before JBoss Modules reads the property (its {@code Main} runs after
 * premain); attached later, it can only say what to do.
 */
final class JBossModules {

    static final String PROPERTY = "jboss.modules.system.pkgs";
    static final String PACKAGE = "dev.bizmetrics.bootstrap";

    private JBossModules() {
    }

    /** Adds the registry's package to the system packages when this JVM runs JBoss Modules. */
    static void shareRegistry(String command, boolean attached) {
        if (!runsJBossModules(command)) {
            return;
        }
        String current = System.getProperty(PROPERTY);
        if (lists(current, PACKAGE)) {
            return;
        }
        if (attached) {
            Log.warn("JBoss Modules started before the agent and does not show its modules the agent's registry: "
                    + "no pool of a module will be found; add " + PACKAGE + " to JBOSS_MODULES_SYSTEM_PKGS "
                    + "(bin/standalone.conf) and restart, or start the agent with the server (-javaagent in JAVA_OPTS)");
            return;
        }
        try {
            System.setProperty(PROPERTY, withPackage(current));
        } catch (RuntimeException e) { // a security manager that forbids it
            Log.warn("could not add " + PACKAGE + " to " + PROPERTY + " (" + Log.describe(e) + "): no pool of a "
                    + "JBoss module will be found; add it to JBOSS_MODULES_SYSTEM_PKGS (bin/standalone.conf)");
        }
    }

    static boolean runsJBossModules(String command) {
        if (command == null) {
            return false;
        }
        String main = JdkTools.mainOf(command);
        return main.equals("org.jboss.modules.Main") || main.endsWith("jboss-modules.jar");
    }

    /** The property's value with the registry's package added (JBoss Modules splits it at commas). */
    static String withPackage(String current) {
        if (current == null || current.trim().isEmpty()) {
            return PACKAGE;
        }
        String trimmed = current.trim();
        return trimmed.endsWith(",") ? trimmed + PACKAGE : trimmed + "," + PACKAGE;
    }

    /** True if the comma-separated list names the package or one that contains it (a prefix, as JBoss Modules reads). */
    static boolean lists(String list, String pkg) {
        if (list == null) {
            return false;
        }
        for (String entry : list.split(",")) {
            String name = entry.trim();
            if (!name.isEmpty() && (pkg.equals(name) || pkg.startsWith(name + "."))) {
                return true;
            }
        }
        return false;
    }
}
