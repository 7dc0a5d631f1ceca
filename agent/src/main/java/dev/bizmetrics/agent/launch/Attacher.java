package dev.bizmetrics.agent.launch;

import dev.bizmetrics.agent.Agent;
import dev.bizmetrics.agent.config.AgentArguments;

import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;
import java.util.List;
import java.util.Properties;

/**
 * {@code attach <pid> [PATH | config=PATH,key=value,...]} and {@code list}: the JDK's attach API
 * ({@code com.sun.tools.attach}, module {@code jdk.attach}, or {@code lib/tools.jar} on Java 8), called by
 * reflection so that the agent jar needs no extra library and still loads on a JRE, where only these commands
 * are unavailable.
 */
final class Attacher {

    private static final String VIRTUAL_MACHINE = "com.sun.tools.attach.VirtualMachine";

    private Attacher() {
    }

    static int list(PrintStream out, PrintStream err) {
        try {
            Class<?> vm = attachApi();
            String self = selfPid();
            List<?> descriptors = (List<?>) vm.getMethod("list").invoke(null);
            for (Object descriptor : descriptors) {
                String id = (String) descriptor.getClass().getMethod("id").invoke(descriptor);
                String name = (String) descriptor.getClass().getMethod("displayName").invoke(descriptor);
                if (!id.equals(self)) {
                    // The main class or jar only: the rest of a command line may hold passwords.
                    out.println(id + " " + JdkTools.mainOf(name));
                }
            }
            return Commands.OK;
        } catch (Throwable t) {
            err.println("cannot list the JVMs: " + describe(t));
            return Commands.INVALID;
        }
    }

    static int attach(String pid, String arguments, PrintStream out, PrintStream err) {
        if (!pid.matches("[0-9]+")) {
            err.println("'" + pid + "' is not a process id; `java -jar bizmetrics-agent.jar list` shows the JVMs");
            return Commands.INVALID;
        }
        String agentArguments;
        try {
            agentArguments = absoluteConfigPaths(arguments);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return Commands.INVALID;
        }
        File jar = ownJar();
        if (jar == null) {
            err.println("cannot tell where bizmetrics-agent.jar is; run it with java -jar");
            return Commands.INVALID;
        }
        Class<?> type = null;
        Object vm = null;
        try {
            type = attachApi();
            vm = type.getMethod("attach", String.class).invoke(null, pid);
            Properties target = (Properties) type.getMethod("getSystemProperties").invoke(vm);
            String running = target.getProperty(Launcher.RUNNING_PROPERTY);
            if (running != null) {
                err.println("bizmetrics " + running + " is already running in JVM " + pid + "; nothing loaded. It "
                        + "re-reads its configuration file when the file changes (or on POST /-/reload)");
                return Commands.INVALID;
            }
            type.getMethod("loadAgent", String.class, String.class).invoke(vm, jar.getAbsolutePath(), agentArguments);
            out.println("bizmetrics loaded into JVM " + pid + (agentArguments == null ? "" : " with " + agentArguments)
                    + "; its log lines ([bizmetrics] ...) go to that JVM's standard error");
            out.println("Until a DataSource is seen, " + Agent.WAITS_FOR_NEXT_DATABASE_CALL
                    + " (an idle application binds nothing until then; the status page says so too)");
            return Commands.OK;
        } catch (Throwable t) {
            err.println("could not attach to JVM " + pid + ": " + describe(t)
                    + "\n(the JVM must run as the same user, on a JDK or JRE with the attach mechanism enabled;"
                    + " `java -jar bizmetrics-agent.jar list` shows the JVMs this user can attach to)");
            return Commands.INVALID;
        } finally {
            if (vm != null) {
                try {
                    type.getMethod("detach").invoke(vm); // the public API type: the implementation is not exported
                } catch (Throwable ignored) {
                    // the attach is done either way
                }
            }
        }
    }

    /**
     * The target JVM has its own working directory, so a relative config path is made absolute here. A file that
     * does not exist is reported now, not as an error line in the other JVM's log.
     */
    static String absoluteConfigPaths(String arguments) {
        if (arguments == null || arguments.trim().isEmpty()) {
            return null;
        }
        AgentArguments parsed = AgentArguments.parse(arguments);
        String path = parsed.configPath();
        if (path == null) {
            return arguments.trim();
        }
        File file = new File(path).toPath().toAbsolutePath().normalize().toFile();
        if (!file.isFile()) {
            throw new IllegalArgumentException("no such configuration file: " + file);
        }
        if (parsed.overrides().isEmpty() && !arguments.trim().startsWith("config=")) {
            return file.getPath();
        }
        StringBuilder text = new StringBuilder("config=").append(file.getPath());
        for (java.util.Map.Entry<String, String> entry : parsed.overrides().entrySet()) {
            text.append(',').append(entry.getKey()).append('=').append(entry.getValue());
        }
        return text.toString();
    }

    private static Class<?> attachApi() throws Exception {
        try {
            return Class.forName(VIRTUAL_MACHINE);
        } catch (ClassNotFoundException notOnPath) {
            // Java 8: the attach API is in the JDK's lib/tools.jar, not on the class path.
            File home = new File(System.getProperty("java.home"));
            for (File tools : new File[] {new File(home, "../lib/tools.jar"), new File(home, "lib/tools.jar")}) {
                if (tools.isFile()) {
                    ClassLoader loader = new URLClassLoader(new URL[] {tools.toURI().toURL()},
                            Attacher.class.getClassLoader());
                    return Class.forName(VIRTUAL_MACHINE, true, loader);
                }
            }
            throw new IllegalStateException("this Java has no attach API (module jdk.attach); run the command with "
                    + "the java of a JDK (" + System.getProperty("java.home") + " is not one)");
        }
    }

    /** The agent jar this class was loaded from, or null when it was not loaded from a jar. */
    static File ownJar() {
        try {
            CodeSource source = Attacher.class.getProtectionDomain().getCodeSource();
            File file = new File(source.getLocation().toURI());
            return file.isFile() ? file : null;
        } catch (Throwable t) {
            return null;
        }
    }

    /** The process id of this JVM, from {@code pid@host}; "" when unknown. */
    private static String selfPid() {
        try {
            String name = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
            int at = name.indexOf('@');
            return at > 0 ? name.substring(0, at) : "";
        } catch (Throwable t) {
            return "";
        }
    }

    private static String describe(Throwable t) {
        Throwable cause = t;
        while (cause instanceof InvocationTargetException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** This jar's normalised absolute path, or null when the agent does not run from a jar. */
    static String ownJarPath() {
        File jar = ownJar();
        return jar == null ? null : jar.toPath().toAbsolutePath().normalize().toString();
    }
}
