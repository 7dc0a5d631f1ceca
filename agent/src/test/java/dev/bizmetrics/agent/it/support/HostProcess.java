package dev.bizmetrics.agent.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real host JVM: the sample shop (or any jar), with or without the agent, its output captured line by line. */
public final class HostProcess implements AutoCloseable {

    public static final Path AGENT_JAR = Path.of(System.getProperty("bizmetrics.agent.jar",
            "target/bizmetrics-agent.jar"));
    public static final Path SAMPLE_JAR = Path.of(System.getProperty("bizmetrics.sample.jar",
            "../sample-app/target/sample-app.jar"));
    public static final Path JAVA_17 = Path.of(System.getProperty("java.home"), "bin", "java");
    public static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final List<String> raw = new ArrayList<>();

    private HostProcess(Process process) {
        this.process = process;
        pump(process.getInputStream(), stdout, raw, "stdout");
        pump(process.getErrorStream(), stderr, raw, "stderr");
    }

    /** Starts {@code java <jvmArgs> -jar sample-app.jar <appArgs>}. */
    public static HostProcess startShop(Path java, List<String> jvmArgs, List<String> appArgs) throws IOException {
        return start(java, jvmArgs, SAMPLE_JAR, appArgs, Map.of());
    }

    /** Starts {@code java <jvmArgs> -cp <classPath> <mainClass> <appArgs>}. */
    public static HostProcess startMain(Path java, List<String> jvmArgs, String classPath, String mainClass,
                                        List<String> appArgs) throws IOException {
        List<String> tail = new ArrayList<>(jvmArgs);
        tail.addAll(List.of("-cp", classPath, mainClass));
        tail.addAll(appArgs);
        return launch(java, tail, Map.of());
    }

    public static HostProcess start(Path java, List<String> jvmArgs, Path jar, List<String> appArgs,
                                    Map<String, String> env) throws IOException {
        List<String> tail = new ArrayList<>(jvmArgs);
        tail.addAll(List.of("-jar", jar.toString()));
        tail.addAll(appArgs);
        return launch(java, tail, env);
    }

    /**
     * Starts a server's own start script (Tomcat's {@code catalina.sh run}, WildFly's {@code standalone.sh}) in its
     * directory, with the environment given (e.g. {@code CATALINA_OPTS} carrying the agent) and this JVM's Java.
     */
    public static HostProcess startScript(Path dir, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("BIZMETRICS_") || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        return new HostProcess(builder.start());
    }

    private static HostProcess launch(Path java, List<String> arguments, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(arguments);
        return startCommand(command, env);
    }

    /** Starts a program that starts a JVM (a distribution's start script, say): {@code command[0]} must exist. */
    public static HostProcess startCommand(List<String> command, Map<String, String> env) throws IOException {
        if (!Files.isExecutable(Path.of(command.get(0)))) {
            throw new IllegalStateException(command.get(0) + " is missing; the tests need it (see README, Tests)");
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("BIZMETRICS_") || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(env);
        return new HostProcess(builder.start());
    }

    private static final java.util.regex.Pattern AGENT_STAMP = java.util.regex.Pattern.compile(
            "\\[bizmetrics\\] \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ");

    /**
     * An agent line without its time, which a test cannot know: {@code [bizmetrics] info ...}, also where a server's
     * log manager wrote it inside a line of its own ({@code 05:54:40,456 ERROR [stderr] (bizmetrics-control)
     * [bizmetrics] ...}, as WildFly does once its logging runs). {@link #rawOutput} has the lines as written.
     */
    static String withoutStamp(String line) {
        java.util.regex.Matcher m = AGENT_STAMP.matcher(line);
        return m.find() ? line.substring(0, m.start()) + "[bizmetrics] " + line.substring(m.end()) : line;
    }

    /** Writes a line to the host's standard input. */
    public void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    public static String agentFlag(String arguments) {
        return "-javaagent:" + AGENT_JAR.toAbsolutePath() + (arguments.isEmpty() ? "" : "=" + arguments);
    }

    private static void pump(InputStream in, List<String> lines, List<String> raw, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(withoutStamp(line));
                    }
                    synchronized (raw) {
                        raw.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "host-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits for a line on stdout or stderr that matches; fails with all output so far. */
    public String awaitLine(Predicate<String> matcher, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean ended = false;
        while (true) {
            for (String line : output()) {
                if (matcher.test(line)) {
                    return line;
                }
            }
            if (ended || System.nanoTime() > deadline) {
                break;
            }
            ended = !process.isAlive();
            Thread.sleep(ended ? 200 : 50);
        }
        throw new AssertionError("no matching line within " + timeout + (ended ? " (the host exited)" : "")
                + "; output:\n" + String.join("\n", output()));
    }

    /** Starts the agent's HTTP server on a free port (http.port=0) and returns the port it logged. */
    public int awaitMetricsPort() throws InterruptedException {
        return awaitMetricsPort(Duration.ofSeconds(20));
    }

    /** The same, for a host that takes long to start (a whole distribution). */
    public int awaitMetricsPort(Duration timeout) throws InterruptedException {
        String line = awaitLine(l -> l.contains("[bizmetrics] info serving http://"), timeout);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":(\\d+)/metrics").matcher(line);
        if (!m.find()) {
            throw new AssertionError("no port in " + line);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the host did not exit within " + timeout + "; output:\n"
                    + String.join("\n", output()));
        }
        Thread.sleep(100); // let the pumps drain
        return process.exitValue();
    }

    public List<String> stdout() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    public List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    /** Every line of both streams as the host wrote it, agent lines with their time. */
    List<String> rawOutput() {
        synchronized (raw) {
            return List.copyOf(raw);
        }
    }

    public List<String> output() {
        List<String> all = new ArrayList<>(stdout());
        all.addAll(stderr());
        return all;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the host dies at once, as under the OOM killer, without shutdown hooks. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        // A server's start script may run its JVM as a child that a signal to the script does not reach.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                try {
                    child.onExit().get(20, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    child.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
