package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.CommandResult;
import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.TestConfigs;
import dev.bizmetrics.agent.it.support.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration file, the port, the command line and a dying host, as an attacker or a careless operator would
 * have them: a 100 MB append to the live file of a small host, a file that asks for auth on loopback but has a
 * mistake, a JVM whose arguments hold a password, a second attach, a host killed during a long query.
 */
class HostileInputIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> SHOP = List.of("--rate", "5");

    @Test
    void aHundredMegabyteAppendToTheLiveFileLeavesASmallHostRunning(@TempDir Path dir) throws Exception {
        Path config = TestConfigs.write(dir, "metric.shop_orders_seen.sql=SELECT COUNT(*) AS n FROM orders\n"
                + "metric.shop_orders_seen.interval=1s\n");
        try (HostProcess host = HostProcess.startShop(HostProcess.JAVA_17, List.of("-Xmx128m",
                "-XX:+ExitOnOutOfMemoryError", HostProcess.agentFlag("config=" + config + ",http.port=0")), SHOP)) {
            int port = host.awaitMetricsPort();
            double before = await(port, "shop_orders_seen", Duration.ofSeconds(20));
            assertThat(metric(port, "bizmetrics_config_last_reload_success")).isEqualTo(1.0);

            try (OutputStream out = Files.newOutputStream(config, StandardOpenOption.APPEND)) {
                byte[] line = new byte[1024 * 1024];
                Arrays.fill(line, (byte) '#');
                line[line.length - 1] = '\n';
                for (int i = 0; i < 100; i++) {
                    out.write(line);
                }
            }
            host.awaitLine(l -> l.contains("cannot read the configuration (it is 10485") && l.contains("more than "
                    + "the 1 MiB a configuration may have"), Duration.ofSeconds(10));
            assertThat(metric(port, "bizmetrics_config_last_reload_success")).isEqualTo(0.0);
            Thread.sleep(3000);
            assertThat(host.isAlive()).as("the host runs on").isTrue();
            // The running configuration is kept: the query still runs and follows the shop's orders.
            assertThat(metric(port, "shop_orders_seen")).isGreaterThan(before);
        }
    }

    @Test
    void aFileWhoseHttpPartIsWrongOpensNoPortUntilFixedThenOnlyWhatItAsks(@TempDir Path dir) throws Exception {
        int port = freePort();
        InetAddress external = externalAddress();
        String http = "http.host=127.0.0.1\nhttp.port=" + port + "\nhttp.auth.username=prometheus\n"
                + "http.auth.password=s3cret\nmetric.m.sql=SELECT COUNT(*) AS n FROM orders\nmetric.m.interval=1s\n";
        Path config = TestConfigs.write(dir, http + "http.auth.pasword=typo\n");
        try (HostProcess host = HostProcess.startShop(HostProcess.JAVA_17,
                List.of(HostProcess.agentFlag("config=" + config)), SHOP)) {
            host.awaitLine(l -> l.contains("the port stays closed and no query runs until it is fixed"),
                    Duration.ofSeconds(20));
            assertThat(host.output()).anyMatch(l -> l.contains("http.auth.pasword: unknown key; did you mean "
                    + "http.auth.password?"));
            Thread.sleep(1500);
            assertThat(accepts(InetAddress.getLoopbackAddress(), port)).as("loopback").isFalse();
            assertThat(accepts(external, port)).as(external.toString()).isFalse();

            Files.writeString(config, http);
            host.awaitLine(l -> l.equals("[bizmetrics] info serving http://127.0.0.1:" + port + "/metrics (basic auth)"),
                    Duration.ofSeconds(10));
            assertThat(get(port, null).statusCode()).isEqualTo(401);
            HttpResponse<String> scrape = get(port, "prometheus:s3cret");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("bizmetrics_config_last_reload_success 1.0");
            assertThat(accepts(external, port)).as(external + " after the fix").isFalse();
        }
    }

    @Test
    void aMistakeOutsideHttpOpensThePortWithExactlyTheSettingsAskedFor(@TempDir Path dir) throws Exception {
        int port = freePort();
        Path config = TestConfigs.write(dir, "http.host=127.0.0.1\nhttp.port=" + port + "\n"
                + "http.auth.username=prometheus\nhttp.auth.password=s3cret\n"
                + "metric.m.sql=SELECT COUNT(*) AS n FROM orders\nmetric.m.lables=status\n");
        try (HostProcess host = HostProcess.startShop(HostProcess.JAVA_17,
                List.of(HostProcess.agentFlag("config=" + config)), SHOP)) {
            host.awaitLine(l -> l.equals("[bizmetrics] info serving http://127.0.0.1:" + port + "/metrics (basic auth)"),
                    Duration.ofSeconds(20));
            assertThat(get(port, null).statusCode()).isEqualTo(401);
            assertThat(get(port, "prometheus:s3cret").body()).contains("bizmetrics_config_last_reload_success 0.0");
            assertThat(accepts(externalAddress(), port)).isFalse();
        }
    }

    @Test
    void listShowsMainClassesNeverArguments() throws Exception {
        try (HostProcess host = HostProcess.startShop(HostProcess.JAVA_17, List.of(),
                List.of("--rate", "0", "--password", "hunter2-from-the-command-line"))) {
            host.awaitLine(l -> l.startsWith("shop: started"), Duration.ofSeconds(30));
            CommandResult list = CommandResult.run("list");
            assertThat(list.exitCode()).isZero();
            assertThat(list.stdout()).contains(host.pid() + " " + HostProcess.SAMPLE_JAR)
                    .doesNotContain("hunter2").doesNotContain("--password");
        }
    }

    @Test
    void aSecondAttachSaysTheAgentRunsAlreadyAndFails(@TempDir Path dir) throws Exception {
        Path config = TestConfigs.write(dir, "metric.m.sql=SELECT COUNT(*) AS n FROM orders\n");
        try (HostProcess host = HostProcess.startShop(HostProcess.JAVA_17,
                List.of(HostProcess.agentFlag("config=" + config + ",http.port=0")), List.of("--rate", "0"))) {
            host.awaitMetricsPort();
            CommandResult attach = CommandResult.run("attach", String.valueOf(host.pid()), config.toString());
            assertThat(attach.exitCode()).isEqualTo(1);
            assertThat(attach.stderr()).matches("(?s)bizmetrics \\S+ is already running in JVM " + host.pid()
                    + "; nothing loaded.*");
            assertThat(attach.stdout()).isEmpty();
        }
    }

    @Test
    void aHostKilledDuringALongQueryLeavesNothingRunningOnPostgresql(@TempDir Path dir) throws Exception {
        ShopDatabase admin = new ShopDatabase("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
        String marker = "bm_killed_" + System.nanoTime();
        String where = " FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%" + marker + "%' AND pid <> "
                + "pg_backend_pid()";
        killDuringQuery(dir, "jdbc:postgresql://127.0.0.1:5432/test", "postgres",
                "SELECT pg_sleep(30) AS " + marker, () -> admin.count("SELECT COUNT(*)" + where),
                () -> admin.count("SELECT COUNT(pg_cancel_backend(pid))" + where));
    }

    @Test
    void aHostKilledDuringALongQueryLeavesNothingRunningOnMariadb(@TempDir Path dir) throws Exception {
        ShopDatabase admin = new ShopDatabase("jdbc:mariadb://127.0.0.1:3306/test", "root", "");
        String marker = "bm_killed_" + System.nanoTime();
        String where = " FROM information_schema.PROCESSLIST WHERE INFO LIKE '%" + marker + "%' AND ID <> "
                + "CONNECTION_ID()";
        // MariaDB Connector/J bounds the query on the server itself (SET STATEMENT max_statement_time, from
        // setQueryTimeout); this holds the agent to it whatever the driver.
        killDuringQuery(dir, "jdbc:mariadb://127.0.0.1:3306/test", "root", "SELECT SLEEP(30) AS " + marker,
                () -> admin.count("SELECT COUNT(*)" + where), () -> {
                    for (String id : admin.column("SELECT ID" + where)) {
                        admin.execute("KILL QUERY " + id);
                    }
                    return 0;
                });
    }

    interface Count {
        long get() throws SQLException;
    }

    /**
     * Kills the host (SIGKILL) while its agent's 30 s query runs with a 3 s timeout: the server must end the
     * query by itself within its timeout, as no client is left to cancel it.
     */
    private static void killDuringQuery(Path dir, String url, String user, String sql, Count running,
                                        Count cancelLeftOver) throws Exception {
        Path config = TestConfigs.write(dir, "metric.sleepy.sql=" + sql + "\nmetric.sleepy.timeout=3s\n"
                + "metric.sleepy.interval=1m\n");
        HostProcess host = TestHosts.start(HostProcess.JAVA_17,
                List.of(HostProcess.agentFlag("config=" + config + ",http.port=0")), "PoolsHost",
                List.of("--user", user, "hikari=" + url));
        try (host) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (running.get() == 0) {
                assertThat(System.nanoTime()).as("the query never started:\n" + String.join("\n", host.output()))
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            long started = System.nanoTime();
            host.kill();
            while (running.get() > 0) {
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("the query still runs on the server after its host died").isLessThan(Duration.ofSeconds(8));
                Thread.sleep(200);
            }
        } finally {
            cancelLeftOver.get();
        }
    }

    private static double await(int port, String name, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Double value = Scrape.metrics(port).get(name);
            if (value != null) {
                return value;
            }
            assertThat(System.nanoTime()).as(name + " never appeared").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static double metric(int port, String name) throws Exception {
        Map<String, Double> metrics = Scrape.metrics(port);
        assertThat(metrics).containsKey(name);
        return metrics.get(name);
    }

    private static HttpResponse<String> get(int port, String credentials) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean accepts(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** An address of this machine other than loopback: where a port opened on 0.0.0.0 would also answer. */
    private static InetAddress externalAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address;
                    }
                }
            }
        }
        throw new IllegalStateException("this machine has no IPv4 address besides loopback; the test needs one to "
                + "tell a port on 127.0.0.1 from one on 0.0.0.0");
    }
}
