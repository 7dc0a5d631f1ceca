package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** A real Prometheus server (the Debian package's binary) started by a test, and its HTTP API. */
public final class PrometheusServer implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Labels Prometheus adds (target, static labels), left out when comparing with SQL. */
    private static final Set<String> TARGET_LABELS = Set.of("__name__", "job", "instance", "service");

    private final int port;
    private final Process process;
    private final Path log;

    private PrometheusServer(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts Prometheus with this config file, its storage and log in {@code dir}, on a free loopback port. */
    public static PrometheusServer start(Path dir, Path config) throws IOException {
        if (!Files.isExecutable(ConfigFiles.PROMETHEUS_BIN)) {
            throw new IllegalStateException(ConfigFiles.PROMETHEUS_BIN + " is missing: apt-get install prometheus");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(ConfigFiles.PROMETHEUS_BIN.toString(),
                "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PrometheusServer(port, process, log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }


    public Map<String, Object> get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Object> body = Json.object(Json.parse(response.body()));
        if (response.statusCode() != 200 || !"success".equals(body.get("status"))) {
            throw new AssertionError(pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        return body;
    }

    public List<Object> rules() throws IOException, InterruptedException {
        List<Object> rules = new ArrayList<>();
        for (Object group : Json.array(Json.object(get("/api/v1/rules").get("data")).get("groups"))) {
            rules.addAll(Json.array(Json.object(group).get("rules")));
        }
        return rules;
    }

    /** An instant query's vector: the labels Prometheus did not add ({@code {status="NEW"}}, or {}) → value. */
    Map<String, Double> query(String promql) throws IOException, InterruptedException {
        Map<String, Object> data = Json.object(get("/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)).get("data"));
        assertThat(data.get("resultType")).as(promql).isEqualTo("vector");
        Map<String, Double> series = new TreeMap<>();
        for (Object sample : Json.array(data.get("result"))) {
            Map<String, Object> labels = new TreeMap<>(Json.object(Json.object(sample).get("metric")));
            labels.keySet().removeAll(TARGET_LABELS);
            StringBuilder key = new StringBuilder("{");
            labels.forEach((name, value) -> key.append(key.length() > 1 ? "," : "").append(name).append("=\"")
                    .append(value).append('"'));
            List<Object> value = Json.array(Json.object(sample).get("value"));
            series.put(key.append('}').toString(), Double.valueOf((String) value.get(1)));
        }
        return series;
    }

    /** Queries until the result satisfies the condition (Prometheus scrapes each second); fails with the last. */
    public Map<String, Double> until(String promql, Predicate<Map<String, Double>> condition, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Double> last = Map.of();
        String error = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited: " + Files.readString(log));
            }
            try {
                last = query(promql);
                if (condition.test(last)) {
                    return last;
                }
            } catch (IOException | AssertionError | IllegalArgumentException e) {
                // IllegalArgumentException: not JSON, e.g. "Service Unavailable" while Prometheus starts
                error = e.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(promql + ": condition not met within " + timeout + "; last result " + last
                + " " + error + "\nprometheus log:\n" + Files.readString(log));
    }

    /** The query's result equals the expected series, each value within 1e-9 relative. */
    public void assertEquals(String promql, Map<String, Double> expected) throws IOException, InterruptedException {
        assertThat(expected).as("SQL for " + promql).isNotEmpty();
        Map<String, Double> actual;
        try {
            actual = until(promql, r -> near(r, expected), Duration.ofSeconds(20));
        } catch (AssertionError e) {
            actual = query(promql);
        }
        assertThat(new TreeMap<>(actual)).as(promql).isEqualTo(new TreeMap<>(rounded(actual, expected)));
    }

    private static boolean near(Map<String, Double> actual, Map<String, Double> expected) {
        if (!actual.keySet().equals(expected.keySet())) {
            return false;
        }
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            double a = actual.get(e.getKey());
            if (Math.abs(a - e.getValue()) > 1e-9 * Math.max(1, Math.abs(e.getValue()))) {
                return false;
            }
        }
        return true;
    }

    /** The expected map, with values that are within tolerance replaced by the actual ones (for a clear diff). */
    private static Map<String, Double> rounded(Map<String, Double> actual, Map<String, Double> expected) {
        Map<String, Double> out = new LinkedHashMap<>(expected);
        out.replaceAll((k, v) -> actual.containsKey(k) && near(Map.of(k, actual.get(k)), Map.of(k, v))
                ? actual.get(k) : v);
        return out;
    }
}
