package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.TestConfigs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever is wrong with the agent's setup, the host's output and exit code are those of a run without the agent;
 * the agent adds one clear [bizmetrics] line saying what is wrong, and does not hold up the host's exit.
 */
class HostUnaffectedIT {

    private static final List<String> APP = List.of("--rate", "0", "--run-seconds", "2");
    /** Printed by the JVM itself when an agent puts a class on the bootstrap class path (see README). */
    private static final String CDS_NOTE = "Sharing is only supported for boot loader classes because bootstrap "
            + "classpath has been appended";
    private static Run baseline;

    record Run(int exitCode, List<String> stdout, List<String> hostStderr, List<String> agentProblems,
               double exitSeconds) {
    }

    @BeforeAll
    static void runWithoutTheAgent() throws Exception {
        baseline = run(List.of());
        assertThat(baseline.exitCode()).isZero();
        assertThat(baseline.stdout()).hasSize(2).last().asString().startsWith("shop: done with 50 orders");
    }

    @Test
    void portTaken(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = run(agent("config=" + TestConfigs.shopOrders(dir) + ",http.host=127.0.0.1,http.port="
                    + taken.getLocalPort()));
            assertUnaffected(run, "[bizmetrics] error cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": the port is in use; set http.port to a free port (e.g. -javaagent:bizmetrics-agent.jar="
                    + "config=PATH,http.port=30314) or to 0 for any free port; the application runs on without the "
                    + "agent's port");
        }
    }

    @Test
    void configMissing(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.properties");
        Run run = run(agent("config=" + missing + ",http.port=0"));
        assertUnaffected(run, "[bizmetrics] error config " + missing + ": cannot read the configuration (no such "
                + "file, looked at " + missing + "); pass its path as -javaagent:bizmetrics-agent.jar=PATH; "
                + "the port stays closed and no query runs until it is fixed");
    }

    @Test
    void configUnreadable(@TempDir Path dir) throws Exception {
        Path directory = Files.createDirectory(dir.resolve("a-directory.properties"));
        Run run = run(agent("config=" + directory + ",http.port=0"));
        assertUnaffected(run, "[bizmetrics] error config " + directory + ": cannot read the configuration (it is a "
                + "directory, looked at " + directory + "); pass its path as -javaagent:bizmetrics-agent.jar=PATH; "
                + "the port stays closed and no query runs until it is fixed");
    }

    @Test
    void configInvalid(@TempDir Path dir) throws Exception {
        Path config = TestConfigs.write(dir, "metric.m.sql=SELECT 1 AS n\nmetric.m.type=heatmap\n");
        Run run = run(agent("config=" + config + ",http.port=0"));
        assertUnaffected(run, "[bizmetrics] error config bizmetrics.properties:2: metric.m.type: unknown type "
                        + "'heatmap'; use gauge, counter, info, histogram or summary",
                "[bizmetrics] error 1 problem(s) in the configuration; no query runs until it is fixed");
    }

    @Test
    void agentGivenTwice(@TempDir Path dir) throws Exception {
        String flag = agent("config=" + TestConfigs.shopOrders(dir) + ",http.port=0").get(0);
        Run run = run(List.of(flag, flag));
        assertUnaffected(run, "[bizmetrics] warn the agent is already running in this JVM; ignoring this start "
                + "(-javaagent given twice?)");
    }

    @Test
    void garbageArguments() throws Exception {
        Run run = run(agent("config=/x.properties,nonsense"));
        assertUnaffected(run, "[bizmetrics] error could not start; the application runs on without bizmetrics: "
                + "IllegalArgumentException: agent argument 'nonsense' is not key=value; write "
                + "-javaagent:bizmetrics-agent.jar=config=PATH,key=value,...");
    }

    @Test
    void temporaryDirectoryMissing(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such-directory");
        Run run = run(List.of("-Djava.io.tmpdir=" + missing,
                HostProcess.agentFlag("config=" + TestConfigs.shopOrders(dir) + ",http.port=0")));
        assertUnaffected(run, "[bizmetrics] error could not start; the application runs on without bizmetrics: "
                + "IOException: cannot create a file in the temporary directory " + missing + " (No such file or "
                + "directory); make it writable or point -Djava.io.tmpdir at one that is");
    }

    @Test
    void aHealthyAgentDoesNotDelayTheHostsExit(@TempDir Path dir) throws Exception {
        Run run = run(agent("config=" + TestConfigs.shopOrders(dir) + ",http.port=0"));
        assertUnaffected(run);
        assertThat(run.exitSeconds()).isLessThan(baseline.exitSeconds() + 1.0);
    }

    private static void assertUnaffected(Run run, String... agentProblems) {
        assertThat(run.exitCode()).isEqualTo(baseline.exitCode());
        assertThat(run.stdout()).isEqualTo(baseline.stdout());
        assertThat(run.hostStderr()).isEqualTo(baseline.hostStderr());
        assertThat(run.agentProblems()).containsExactly(agentProblems);
    }

    private static List<String> agent(String arguments) {
        return List.of(HostProcess.agentFlag(arguments));
    }

    private static Run run(List<String> jvmArgs) throws Exception {
        try (HostProcess host = HostProcess.startShop(HostProcess.JAVA_17, jvmArgs, APP)) {
            host.awaitLine(line -> line.startsWith("shop: done with"), Duration.ofSeconds(30));
            long done = System.nanoTime();
            int exit = host.awaitExit(Duration.ofSeconds(30));
            double exitSeconds = (System.nanoTime() - done) / 1e9;
            List<String> hostStderr = new ArrayList<>();
            List<String> agentProblems = new ArrayList<>();
            for (String line : host.stderr()) {
                if (line.startsWith("[bizmetrics] error") || line.startsWith("[bizmetrics] warn")) {
                    agentProblems.add(line);
                } else if (!line.startsWith("[bizmetrics] info") && !line.contains(CDS_NOTE)) {
                    hostStderr.add(line);
                }
            }
            return new Run(exit, host.stdout(), hostStderr, agentProblems, exitSeconds);
        }
    }
}
