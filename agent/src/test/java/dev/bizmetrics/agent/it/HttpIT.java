package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.Chromium;
import dev.bizmetrics.agent.it.support.H2Tcp;
import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's port as operators and Prometheus use it: status page, readiness, reload, basic auth, HTTPS. */
class HttpIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path ARTEFACTS = Path.of("target", "it-artefacts");



    @Test
    void theStatusPageShowsWhatTheAgentFoundAndRunsEscaped(@TempDir Path dir) throws Exception {
        Path config = TestConfigs.write(dir, """
                metric.shop_orders.sql=SELECT status, COUNT(*) AS orders FROM orders GROUP BY status
                metric.shop_orders.interval=1s
                metric.broken.sql=SELECT n FROM nope
                metric.broken.interval=1s
                metric.sneaky.sql=SELECT '<img src=x onerror=alert(1)>' AS label, 1 AS v FROM orders WHERE 1 = 0
                metric.sneaky.interval=1s
                """);
        try (HostProcess host = shop(config)) {
            int port = host.awaitMetricsPort();
            Scrape.until(port, m -> Double.valueOf(1.0).equals(m.get("bizmetrics_query_success{query=\"shop_orders\"}"))
                    && m.containsKey("bizmetrics_query_success{query=\"broken\"}"), Duration.ofSeconds(30));
            String url = "http://127.0.0.1:" + port + "/";

            String dom = Chromium.dumpDom(url, dir.resolve("chromium"));
            assertThat(dom).contains("<span id=\"version\">0.1.0-SNAPSHOT</span>",
                    "<b>main</b>: <span class=\"ok\">bound</span> to HikariDataSource@",
                    "<td data-label=\"class\">com.zaxxer.hikari.HikariDataSource</td><td data-label=\"kind\">pool"
                            + "</td><td data-label=\"pool\">shop</td>",
                    "<tr data-query=\"shop_orders\"><td data-label=\"query\">shop_orders</td><td data-label=\"SQL\" "
                            + "class=\"sql\"><pre>SELECT status, COUNT(*) AS orders FROM orders GROUP BY status</pre>"
                            + "</td><td data-label=\"every\">1s <span class=\"muted\">(timeout 10s)</span></td>"
                            + "<td data-label=\"datasource\">main</td>",
                    "<td data-label=\"rows\" class=\"rows\">4</td><td data-label=\"series\" class=\"series\">4</td>"
                            + "<td data-label=\"dropped\" class=\"dropped\">0</td><td data-label=\"result\" "
                            + "class=\"result ok\">success</td>",
                    "<td data-label=\"result\" class=\"result bad\">error</td><td data-label=\"next run\" "
                            + "class=\"next\">",
                    "<td data-label=\"last error\" class=\"error\"><pre>JdbcSQLSyntaxErrorException: Table \"NOPE\" "
                            + "not found",
                    // summarised at the top, and first in the table
                    "<section id=\"attention\"><h2>Needs attention</h2><p>1 of 3 queries failing</p><ul>"
                            + "<li data-query=\"broken\"><b>broken</b>: <span class=\"bad\">error</span>",
                    "&lt;img src=x onerror=alert(1)&gt;");
            assertThat(dom).doesNotContain("<img");
            assertThat(dom.indexOf("<tr data-query=\"broken\">"))
                    .isLessThan(dom.indexOf("<tr data-query=\"shop_orders\">"));
            Files.createDirectories(ARTEFACTS);
            Chromium.screenshot(url, dir.resolve("chromium"), ARTEFACTS.resolve("status-page.png"), "1280,1000");
            Chromium.screenshot(url, dir.resolve("chromium"), ARTEFACTS.resolve("status-page-phone.png"), "390,844");

            HttpResponse<String> page = get(url, null);
            assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .startsWith("default-src 'none'");
        }
    }

    @Test
    void readyOnceEveryDataSourceIsBoundAndEveryQueryRan(@TempDir Path dir) throws Exception {
        Path config = TestConfigs.write(dir, """
                datasource.main.match=pool:shop
                datasource.other.match=pool:nope
                metric.shop_orders.sql=SELECT status, COUNT(*) AS orders FROM orders GROUP BY status
                metric.shop_orders.interval=1s
                """);
        try (HostProcess host = shop(config)) {
            int port = host.awaitMetricsPort();
            Scrape.until(port, m -> m.getOrDefault("bizmetrics_query_success{query=\"shop_orders\"}", 0.0) == 1.0,
                    Duration.ofSeconds(30));
            HttpResponse<String> notReady = get("http://127.0.0.1:" + port + "/-/ready", null);
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).startsWith("datasource other is not bound: no DataSource seen matches "
                    + "datasource.other.match=pool:nope (seen: ").endsWith(")\n").hasLineCount(1);

            Files.writeString(config, Files.readString(config).replace("pool:nope", "pool:shop"));
            assertThat(post("http://127.0.0.1:" + port + "/-/reload").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = awaitStatus("http://127.0.0.1:" + port + "/-/ready", 200);
            assertThat(ready.body()).isEqualTo("ready\n");
            assertThat(get("http://127.0.0.1:" + port + "/-/healthy", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anEditedFileTakesEffectWithinFiveSecondsAndUnchangedQueriesKeepTheirRuns(@TempDir Path dir) throws Exception {
        Path config = TestConfigs.write(dir, """
                metric.kept.sql=SELECT COUNT(*) AS n FROM orders
                metric.kept.interval=500ms
                metric.removed.sql=SELECT COUNT(*) AS n FROM orders
                metric.changed.sql=SELECT COUNT(*) AS n FROM orders
                """);
        try (HostProcess host = shop(config)) {
            int port = host.awaitMetricsPort();
            String keptRuns = "bizmetrics_query_runs_total{query=\"kept\",result=\"success\"}";
            Map<String, Double> before = Scrape.until(port, m -> m.getOrDefault(keptRuns, 0.0) >= 4
                    && m.containsKey("removed") && m.containsKey("changed"), Duration.ofSeconds(30));
            double reloadedAt = before.get("bizmetrics_config_last_reload_timestamp_seconds");

            long edited = System.nanoTime();
            Files.writeString(config, """
                    metric.kept.sql=SELECT COUNT(*) AS n FROM orders
                    metric.kept.interval=500ms
                    metric.changed.sql=SELECT COUNT(*) * 2 AS n FROM orders
                    metric.added.sql=SELECT COUNT(*) AS n FROM orders
                    """);
            Map<String, Double> after = Scrape.until(port, m -> m.containsKey("added") && !m.containsKey("removed")
                    && m.getOrDefault("changed", 0.0) == 2 * m.getOrDefault("added", -1.0), Duration.ofSeconds(10));
            assertThat((System.nanoTime() - edited) / 1e9).isLessThan(5.0);
            assertThat(after.get(keptRuns)).isGreaterThanOrEqualTo(before.get(keptRuns));
            assertThat(family(after, "bizmetrics_query_runs_total")).noneSatisfy((series, v) ->
                    assertThat(series).contains("removed"));
            assertThat(after).containsEntry("bizmetrics_config_last_reload_success", 1.0);
            assertThat(after.get("bizmetrics_config_last_reload_timestamp_seconds")).isGreaterThan(reloadedAt);

            // An invalid edit: refused with every problem, the running config keeps serving.
            Files.writeString(config, "metric.kept.sql=SELECT COUNT(*) AS n FROM orders\nmetric.kept.type=gauge2\n");
            HttpResponse<String> refused = post("http://127.0.0.1:" + port + "/-/reload");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).isEqualTo("bizmetrics.properties:2: metric.kept.type: unknown type 'gauge2'; "
                    + "use gauge, counter, info, histogram or summary\n");
            Map<String, Double> still = Scrape.metrics(port);
            assertThat(still).containsEntry("bizmetrics_config_last_reload_success", 0.0).containsKey("added");
            String dom = Chromium.dumpDom("http://127.0.0.1:" + port + "/", dir.resolve("chromium"));
            assertThat(dom).contains("<span class=\"bad\">1 problem(s)</span>, the previous configuration still runs",
                    "<li>bizmetrics.properties:2: metric.kept.type: unknown type 'gauge2'; use gauge, counter, info, histogram or summary</li>");

            // A changed http.* reopens the port with the new settings, after the reload's answer is out.
            Files.writeString(config, "metric.kept.sql=SELECT COUNT(*) AS n FROM orders\nhttp.host=127.0.0.1\n");
            HttpResponse<String> applied = post("http://127.0.0.1:" + port + "/-/reload");
            assertThat(applied.statusCode()).isEqualTo(200);
            String reopened = host.awaitLine(l -> l.startsWith("[bizmetrics] info serving http://127.0.0.1:"),
                    Duration.ofSeconds(10));
            int newPort = Integer.parseInt(reopened.replaceAll(".*:(\\d+)/metrics.*", "$1"));
            assertThat(get("http://127.0.0.1:" + newPort + "/-/reload", null).statusCode()).isEqualTo(405);
            assertThat(Scrape.metrics(newPort)).containsEntry("bizmetrics_config_last_reload_success", 1.0);
            if (newPort != port) {
                assertThatThrownBy(() -> get("http://127.0.0.1:" + port + "/-/ready", null))
                        .as("the old port is closed").isInstanceOf(java.io.IOException.class);
            }
        }
    }

    @Test
    void basicAuthGuardsEveryPathAndTheSecretAppearsNowhere(@TempDir Path dir) throws Exception {
        String secret = "pw-" + UUID.randomUUID();
        Path config = TestConfigs.write(dir, """
                http.auth.username=prometheus
                http.auth.password=${BM_TEST_PASSWORD}
                metric.shop_orders.sql=SELECT status, COUNT(*) AS orders FROM orders GROUP BY status
                metric.shop_orders.interval=1s
                """);
        try (HostProcess host = HostProcess.start(HostProcess.JAVA_17, List.of(HostProcess.agentFlag(
                "config=" + config + ",http.port=0")), HostProcess.SAMPLE_JAR, List.of("--rate", "0"),
                Map.of("BM_TEST_PASSWORD", secret))) {
            int port = host.awaitMetricsPort();
            String base = "http://127.0.0.1:" + port;
            for (String path : List.of("/metrics", "/", "/-/ready", "/-/healthy", "/-/reload")) {
                HttpResponse<String> denied = get(base + path, null);
                assertThat(denied.statusCode()).as(path).isEqualTo(401);
                assertThat(denied.headers().firstValue("WWW-Authenticate").orElseThrow()).as(path)
                        .startsWith("Basic realm=\"bizmetrics\"");
                assertThat(get(base + path, "prometheus:wrong").statusCode()).as(path).isEqualTo(401);
                assertThat(get(base + path, "other:" + secret).statusCode()).as(path).isEqualTo(401);
            }
            assertThat(get(base + "/-/healthy", "prometheus:" + secret).statusCode()).isEqualTo(200);
            String metrics = awaitStatus(base + "/metrics", 200, "prometheus:" + secret).body();
            String page = get(base + "/", "prometheus:" + secret).body();
            assertThat(metrics).contains("bizmetrics_build_info").doesNotContain(secret);
            assertThat(page).contains("bizmetrics").doesNotContain(secret);
            assertThat(host.output()).noneMatch(line -> line.contains(secret));
        }
    }

    @Test
    void httpsServesWithTheKeystoreAndRefusesPlainHttp(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("metrics.p12");
        Process keytool = new ProcessBuilder(HostProcess.JAVA_17.resolveSibling("keytool").toString(), "-genkeypair",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit", "-alias", "agent",
                "-keyalg", "EC", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2")
                .redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        Path config = TestConfigs.write(dir, """
                http.host=127.0.0.1
                http.tls.keystore=%s
                http.tls.keystore-password=changeit
                metric.shop_orders.sql=SELECT status, COUNT(*) AS orders FROM orders GROUP BY status
                """.formatted(keystore));
        try (HostProcess host = shop(config)) {
            String line = host.awaitLine(l -> l.contains("[bizmetrics] info serving https://127.0.0.1:"),
                    Duration.ofSeconds(20));
            int port = Integer.parseInt(line.replaceAll(".*:(\\d+)/metrics.*", "$1"));
            SSLContext trusting = trusting(keystore);
            for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
                SSLParameters parameters = new SSLParameters();
                parameters.setProtocols(new String[] {protocol});
                HttpClient https = HttpClient.newBuilder().sslContext(trusting).sslParameters(parameters).build();
                HttpResponse<String> response = https.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(protocol).isEqualTo(200);
                assertThat(response.body()).contains("bizmetrics_build_info");
            }
            assertThatThrownBy(() -> CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            // Bound to loopback only: the listening socket's local address is 127.0.0.1, not 0.0.0.0.
            assertThat(listeningAddress(port)).isEqualTo("0100007F");
        }
    }

    /** The local address of the socket listening on the port, as hex from /proc/net (IPv4-mapped IPv6 as IPv4). */
    private static String listeningAddress(int port) throws IOException {
        String hexPort = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] fields = line.trim().split("\\s+");
                if (fields[1].endsWith(hexPort) && fields[3].equals("0A")) { // 0A = LISTEN
                    String address = fields[1].substring(0, fields[1].indexOf(':'));
                    return address.startsWith("0000000000000000FFFF0000") ? address.substring(24) : address;
                }
            }
        }
        throw new AssertionError("nothing listens on port " + port);
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static HostProcess shop(Path config) throws IOException {
        String url = H2Tcp.newDatabase("http");
        return HostProcess.startShop(HostProcess.JAVA_17, List.of(HostProcess.agentFlag("config=" + config
                + ",http.port=0")), List.of("--jdbc-url", url, "--rate", "0"));
    }

    private static HttpResponse<String> get(String url, String credentials) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> awaitStatus(String url, int status) throws Exception {
        return awaitStatus(url, status, null);
    }

    private static HttpResponse<String> awaitStatus(String url, int status, String credentials) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = get(url, credentials);
            if (last.statusCode() == status) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(url + " never answered " + status + "; last: " + last.statusCode() + " " + last.body());
    }
}
