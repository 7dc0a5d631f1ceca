package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.OrderDatabases;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static dev.bizmetrics.agent.it.support.ShopDatabase.sorted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * JVMs that only build or administer get the agent along with the application (JAVA_TOOL_OPTIONS, MAVEN_OPTS) and
 * must stay untouched: a JVM whose main is Maven's launcher; {@code agent.main} both ways (the JDK tools:
 * {@link HostShapesIT}). The
 * idle JVMs are checked for what a user would see: the one log line, the port closed, no agent thread.
 */
class JvmRolesIT {

    private static final String MAVEN_MAIN = "org.codehaus.plexus.classworlds.launcher.Launcher";
    private static final String IDLE = "[bizmetrics] info this JVM is ";

    @Test
    void aMavenJvmStaysIdleAndAgentMainLetsTheAgentRunInIt(@TempDir Path dir) throws Exception {
        try (OrderDatabases databases = OrderDatabases.h2()) {
            ShopDatabase db = databases.create("hikari");
            OrderDatabases.fill(db, Map.of("NEW", 4, "PAID", 1));
            int port = freePort();
            Path config = writeConfig(dir, "http.port=" + port);
            try (HostProcess maven = mavenLike(config, db)) {
                maven.awaitLine(line -> line.equals("pools: used"), Duration.ofSeconds(60));
                assertThat(agentLines(maven)).containsExactly(IDLE + "Maven (" + MAVEN_MAIN + "): it only builds or "
                        + "administers, so the agent stays idle here (no port, no query). To run it here anyway, set "
                        + "agent.main to a regular expression found in this JVM's main class or jar");
                assertClosed(port);
                assertThat(threads(maven)).noneMatch(line -> line.contains("\"bizmetrics-"));
            }

            Path override = writeConfig(dir, "http.port=0", "agent.main=plexus\\\\.classworlds");
            try (HostProcess maven = mavenLike(override, db)) {
                int served = maven.awaitMetricsPort();
                Scrape.until(served, m -> {
                    try {
                        return sorted(family(m, "shop_orders")).equals(db.byLabel("status", OrderDatabases.BY_STATUS));
                    } catch (SQLException e) {
                        throw new AssertionError(e);
                    }
                }, Duration.ofSeconds(30));
                assertThat(maven.output()).noneMatch(line -> line.startsWith(IDLE));
            }
        }
    }

    @Test
    void agentMainThatDoesNotMatchKeepsAnApplicationIdleAndAnInvalidOneKeepsTheAgentOff(@TempDir Path dir)
            throws Exception {
        try (OrderDatabases databases = OrderDatabases.h2()) {
            ShopDatabase db = databases.create("hikari");
            int port = freePort();
            Path config = writeConfig(dir, "http.port=" + port, "agent.main=^com\\\\.shop\\\\.");
            try (HostProcess host = poolsHost(config, db)) {
                host.awaitLine(line -> line.startsWith("[bizmetrics] info agent.main does not match"),
                        Duration.ofSeconds(60));
                assertThat(agentLines(host)).containsExactly("[bizmetrics] info agent.main does not match this JVM's "
                        + "main class or jar (dev.bizmetrics.testhosts.PoolsHost): the agent stays idle here (no port, "
                        + "no query)");
                host.awaitLine(line -> line.equals("pools: used"), Duration.ofSeconds(60));
                assertClosed(port);
                assertThat(threads(host)).noneMatch(line -> line.contains("\"bizmetrics-"));
            }

            Path invalid = writeConfig(dir, "http.port=" + port, "agent.main=testhosts.(PoolsHost");
            try (HostProcess host = poolsHost(invalid, db)) {
                String error = host.awaitLine(line -> line.startsWith("[bizmetrics] error"), Duration.ofSeconds(60));
                assertThat(error).isEqualTo("[bizmetrics] error agent.main is not a regular expression (Unclosed "
                        + "group at index 20); give one found in the main class or jar of the JVMs the agent should "
                        + "run in, e.g. agent.main=^com\\.shop\\.; the agent stays off in this JVM until it is fixed "
                        + "and the JVM restarted");
                host.awaitLine(line -> line.equals("pools: used"), Duration.ofSeconds(60));
                assertClosed(port);
                assertThat(host.isAlive()).isTrue();
            }
        }
    }

    private static HostProcess mavenLike(Path config, ShopDatabase db) throws IOException {
        return HostProcess.startMain(HostProcess.JAVA_17, List.of(HostProcess.agentFlag(config.toString())),
                testHostsClassPath(), MAVEN_MAIN, List.of("--use-every", "300", "hikari=" + db.url()));
    }

    private static HostProcess poolsHost(Path config, ShopDatabase db) throws IOException {
        return TestHosts.start(HostProcess.JAVA_17, List.of(HostProcess.agentFlag(config.toString())), "PoolsHost",
                List.of("--use-every", "300", "hikari=" + db.url()));
    }

    private static String testHostsClassPath() {
        return TestHosts.DIR.resolve("test-hosts.jar").toAbsolutePath() + java.io.File.pathSeparator
                + TestHosts.DIR.resolve("lib").toAbsolutePath() + "/*";
    }

    private static Path writeConfig(Path dir, String... settings) throws IOException {
        Path file = Files.createTempFile(dir, "bizmetrics", ".properties");
        Files.writeString(file, String.join("\n", settings) + "\ndefaults.interval=1s\n"
                + "metric.shop_orders.sql=SELECT status, COUNT(*) AS n FROM orders GROUP BY status\n");
        return file;
    }

    private static List<String> agentLines(HostProcess host) {
        return host.output().stream().filter(line -> line.startsWith("[bizmetrics]")).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void assertClosed(int port) {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    /** The host's threads as {@code jcmd Thread.print} lists them (jcmd run without the agent). */
    private static List<String> threads(HostProcess host) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(HostProcess.JAVA_17.resolveSibling("jcmd").toString(),
                String.valueOf(host.pid()), "Thread.print").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("\"main\"");
        return out.lines().toList();
    }
}
