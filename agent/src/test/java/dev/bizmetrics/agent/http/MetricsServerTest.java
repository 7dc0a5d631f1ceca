package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.config.HttpSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's port through its public face ({@link MetricsServer#start}), with the product's limits: what every
 * client sees, and what no client can do to it. Each test here failed against the JDK server the agent used before.
 */
class MetricsServerTest {

    private final List<MetricsServer> servers = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void closeServers() {
        servers.forEach(MetricsServer::close);
    }

    private int start(HttpSettings settings) {
        return start(settings, TestServers.registry(0));
    }

    private int start(HttpSettings settings, PrometheusRegistry registry) {
        MetricsServer server = MetricsServer.start(settings, registry, new FakeView(), TestServers.reloader());
        assertThat(server).isNotNull();
        servers.add(server);
        return server.port();
    }

    @Test
    void metricsAndHealthyAnswerGetAndHeadOnlyAndReloadPostOnly() throws Exception {
        int port = start(new HttpSettings("127.0.0.1", 0));
        try (RawHttp http = new RawHttp(port)) {
            for (String path : List.of("/metrics", "/-/healthy")) {
                for (String method : List.of("TRACE", "PUT", "DELETE", "POST", "OPTIONS", "PATCH", "BREW")) {
                    RawHttp.Response response = http.send(RawHttp.request(method, path)).read();
                    assertThat(response.status()).as(method + " " + path).isEqualTo(405);
                    assertThat(response.header("Allow")).as(method + " " + path).isEqualTo("GET, HEAD");
                    assertThat(response.text()).doesNotContain("TRACE", "Host");
                }
            }
            RawHttp.Response reload = http.send(RawHttp.get("/-/reload")).read();
            assertThat(reload.status()).isEqualTo(405);
            assertThat(reload.header("Allow")).isEqualTo("POST");
            assertThat(http.send(RawHttp.request("POST", "/-/reload")).read().text()).isEqualTo("ok\napplied by a test\n");
            assertThat(http.send(RawHttp.get("/metrics")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void everyResponseSaysNosniffAndNoStore(@TempDir Path dir) throws Exception {
        int open = start(new HttpSettings("127.0.0.1", 0));
        int guarded = start(TestServers.withAuth(dir));
        List<String> requests = List.of(RawHttp.get("/metrics"), RawHttp.get("/"), RawHttp.get("/-/healthy"),
                RawHttp.get("/-/ready"), RawHttp.get("/nope"), RawHttp.request("POST", "/-/reload"),
                RawHttp.request("TRACE", "/metrics"), RawHttp.request("HEAD", "/metrics"),
                RawHttp.get("/metrics", "Accept-Encoding: gzip"), "GET / HTTP/1.1\r\n\r\n", "GARBAGE\r\n\r\n");
        for (int port : List.of(open, guarded)) {
            for (String request : requests) {
                try (RawHttp http = new RawHttp(port)) {
                    RawHttp.Response response = http.send(request).read(request.startsWith("HEAD"));
                    String what = port + " " + request.lines().findFirst().orElseThrow() + " -> " + response.status();
                    assertThat(response.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
                    assertThat(response.header("Cache-Control")).as(what).isEqualTo("no-store");
                    assertThat(response.text()).as(what).doesNotContain("Exception", "\tat ");
                }
            }
        }
        try (RawHttp http = new RawHttp(open)) {
            assertThat(http.send(RawHttp.get("/")).read().header("Content-Security-Policy"))
                    .isEqualTo(StatusPage.CONTENT_SECURITY_POLICY);
        }
    }

    @Test
    void everyMalformedAuthorizationIsA401OnALiveConnection(@TempDir Path dir) throws Exception {
        int port = start(TestServers.withAuth(dir));
        List<List<String>> forms = List.of(
                List.of(),
                List.of("Authorization: "),
                List.of("Authorization: Basic"),
                List.of("Authorization: Basic "),
                List.of("Authorization: " + base64(TestServers.USER + ":" + TestServers.PASSWORD)),
                List.of("Authorization: Bearer abc"),
                List.of("Authorization: Basic !!!"),
                List.of("Authorization: Basic " + base64("no-colon")),
                List.of("Authorization: Basic " + base64("")),
                List.of("Authorization: Basic " + base64(TestServers.USER + ":wrong")),
                List.of("Authorization: Basic " + base64(TestServers.USER + ":" + TestServers.PASSWORD),
                        "Authorization: Basic " + base64(TestServers.USER + ":" + TestServers.PASSWORD)),
                List.of("Authorization: Basic " + Base64.getEncoder().encodeToString(
                        new byte[] {'p', ':', (byte) 0xc3, (byte) 0x28})),
                List.of("Authorization: Basic \u00ff\u00fe"));
        try (RawHttp http = new RawHttp(port)) {
            for (List<String> headers : forms) {
                for (String path : List.of("/metrics", "/", "/-/healthy", "/-/ready")) {
                    RawHttp.Response response = http.send(RawHttp.get(path, headers.toArray(new String[0]))).read();
                    assertThat(response.status()).as(headers + " " + path).isEqualTo(401);
                    assertThat(response.header("WWW-Authenticate"))
                            .isEqualTo("Basic realm=\"bizmetrics\", charset=\"UTF-8\"");
                    assertThat(response.header("Connection")).isNull();
                }
            }
            RawHttp.Response reload = http.send(RawHttp.request("POST", "/-/reload")).read();
            assertThat(reload.status()).isEqualTo(401);
        }
    }

    @Test
    void theSchemeIsCaseInsensitive(@TempDir Path dir) throws Exception {
        int port = start(TestServers.withAuth(dir));
        String token = base64(TestServers.USER + ":" + TestServers.PASSWORD);
        for (String scheme : List.of("Basic", "basic", "BASIC")) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri(port, "/metrics"))
                    .header("Authorization", scheme + " " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(scheme).isEqualTo(200);
            assertThat(response.body()).contains("test_gauge 42.0");
        }
    }

    @Test
    void metricsNegotiateFormatsFilterNamesAndGzipAsTheClientDoes() throws Exception {
        int port = start(new HttpSettings("127.0.0.1", 0));
        HttpResponse<String> text = get(port, "/metrics", Map.of());
        assertThat(text.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(text.body()).contains("# TYPE test_gauge gauge\ntest_gauge 42.0\n");

        HttpResponse<String> open = get(port, "/metrics", Map.of("Accept", "application/openmetrics-text; "
                + "version=1.0.0; charset=utf-8"));
        assertThat(open.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
        assertThat(open.body()).endsWith("# EOF\n");

        HttpResponse<byte[]> protobuf = client.send(HttpRequest.newBuilder(uri(port, "/metrics"))
                .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                        + "encoding=delimited").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(protobuf.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/vnd.google.protobuf");
        assertThat(new String(protobuf.body(), StandardCharsets.ISO_8859_1)).contains("test_gauge");

        assertThat(get(port, "/metrics?name[]=nothing_here", Map.of()).body()).isEmpty();
        assertThat(get(port, "/metrics?name[]=test_gauge", Map.of()).body()).contains("test_gauge 42.0");
        try (RawHttp http = new RawHttp(port)) {
            assertThat(http.send(RawHttp.get("/metrics?name[]=%zz")).read().status()).isEqualTo(400);
            RawHttp.Response gzip = http.send(RawHttp.get("/metrics", "Accept-Encoding: gzip")).read();
            assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(gzip.header("Content-Length")).isEqualTo(String.valueOf(gzip.body().length));
            assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(gzip.body())).readAllBytes(),
                    StandardCharsets.UTF_8)).contains("test_gauge 42.0");
        }
    }

    @Test
    void healthyAnswersAsTheClientsServerDid() throws Exception {
        int port = start(new HttpSettings("127.0.0.1", 0));
        HttpResponse<String> healthy = get(port, "/-/healthy", Map.of());
        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(healthy.body()).isEqualTo("Exporter is healthy.\n");
    }

    /** The issue: one client that sends part of a request and stalls silenced every scrape for about a minute. */
    @Test
    void clientsThatStallMidRequestDoNotSilenceThePortAndAreClosedAfterFiveSeconds() throws Exception {
        int port = start(new HttpSettings("127.0.0.1", 0));
        List<RawHttp> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                stalled.add(new RawHttp(port).send("GET /metr"));
            }
            long started = System.nanoTime();
            Thread.sleep(200);
            HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(uri(port, "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat((System.nanoTime() - started) / 1e9).isLessThan(2.0);
            for (RawHttp http : stalled) {
                assertThat(http.closedWithin(8000 - (System.nanoTime() - started) / 1_000_000)).isTrue();
            }
            assertThat((System.nanoTime() - started) / 1e9).isGreaterThan(4.5);
        } finally {
            for (RawHttp http : stalled) {
                http.close();
            }
        }
    }

    @Test
    void aPortInUseIsOneCompleteLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PrintStream original = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            MetricsServer server;
            try {
                server = MetricsServer.start(new HttpSettings("127.0.0.1", taken.getLocalPort()),
                        TestServers.registry(0), new FakeView(), TestServers.reloader());
            } finally {
                System.setErr(original);
            }
            assertThat(server).isNull();
            assertThat(captured.toString(StandardCharsets.UTF_8).replaceFirst("^\\[bizmetrics\\] \\S+Z ",
                    "[bizmetrics] ")).isEqualTo("[bizmetrics] error cannot listen on "
                    + "127.0.0.1:" + taken.getLocalPort() + ": the port is in use; set http.port to a free port (e.g. "
                    + "-javaagent:bizmetrics-agent.jar=config=PATH,http.port=30314) or to 0 for any free port; the "
                    + "application runs on without the agent's port" + System.lineSeparator());
        }
    }

    @Test
    void startingSetsNoSystemProperty() throws Exception {
        Map<Object, Object> before = Map.copyOf(System.getProperties());
        int port = start(new HttpSettings("127.0.0.1", 0));
        assertThat(get(port, "/metrics", Map.of()).statusCode()).isEqualTo(200);
        assertThat(Map.copyOf(System.getProperties())).isEqualTo(before);
        assertThat(System.getProperties().stringPropertyNames()).noneMatch(name -> name.startsWith("sun.net.httpserver"));
    }

    @Test
    void closeEndsEveryThreadOfTheServerWithinASecondAndThePortCanBeOpenedAgain() throws Exception {
        MetricsServer server = MetricsServer.start(new HttpSettings("127.0.0.1", 0), TestServers.registry(0),
                new FakeView(), TestServers.reloader());
        int port = server.port();
        List<RawHttp> clients = new ArrayList<>();
        try {
            clients.add(new RawHttp(port).send("GET /metr"));                           // mid-request
            clients.add(new RawHttp(port));                                              // nothing sent yet
            RawHttp kept = new RawHttp(port);                                            // kept alive, idle
            assertThat(kept.send(RawHttp.get("/metrics")).read().status()).isEqualTo(200);
            clients.add(kept);
            Thread.sleep(200);
            assertThat(agentHttpThreads()).contains("bizmetrics-http-accept", "bizmetrics-http-watchdog",
                    "bizmetrics-http-1", "bizmetrics-http-2", "bizmetrics-http-3");

            long closing = System.nanoTime();
            server.close();
            assertThat((System.nanoTime() - closing) / 1e9).isLessThan(1.0);
            assertThat(agentHttpThreads()).isEmpty();
            for (RawHttp client : clients) {
                assertThat(client.closedWithin(1000)).isTrue();
            }
        } finally {
            for (RawHttp client : clients) {
                client.close();
            }
        }
        MetricsServer again = MetricsServer.start(new HttpSettings("127.0.0.1", port), TestServers.registry(0),
                new FakeView(), TestServers.reloader());
        assertThat(again).isNotNull();
        servers.add(again);
        assertThat(get(port, "/-/healthy", Map.of()).statusCode()).isEqualTo(200);
    }

    static List<String> agentHttpThreads() {
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("bizmetrics-http") && thread.isAlive()) {
                assertThat(thread.isDaemon()).as(thread.getName()).isTrue();
                names.add(thread.getName());
            }
        }
        return names;
    }

    private HttpResponse<String> get(int port, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(5));
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
