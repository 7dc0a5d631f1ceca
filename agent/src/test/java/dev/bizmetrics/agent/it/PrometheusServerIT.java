package dev.bizmetrics.agent.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

/**
 * End to end as in production: the sample shop on PostgreSQL with the agent and config/bizmetrics.properties, a
 * real Prometheus server (the Debian package's binary) scraping it with config/prometheus.yml and its alert rules,
 * and PromQL over Prometheus's HTTP API answering with the numbers a direct SQL SELECT gives. The shop is idle
 * (--rate 0), so the database does not move under the comparison.
 */
class PrometheusServerIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Labels Prometheus adds (target, static labels), left out when comparing with SQL. */
    private static final Set<String> TARGET_LABELS = Set.of("__name__", "job", "instance", "service");

    @Test
    void promqlOverPrometheusEqualsSqlAndTheAlertRulesAndDashboardQueriesEvaluate(@TempDir Path dir) throws Exception {
        if (!Files.isExecutable(ConfigFiles.PROMETHEUS_BIN)) {
            throw new IllegalStateException(ConfigFiles.PROMETHEUS_BIN + " is missing: apt-get install prometheus");
        }
        try (QuerySemanticsIT.PostgresSchema pg = QuerySemanticsIT.PostgresSchema.create();
             HostProcess shop = HostProcess.startShop(HostProcess.JAVA_17, List.of(ConfigFiles.agentFlag()),
                     List.of("--jdbc-url", pg.url(), "--user", "postgres", "--rate", "0"))) {
            int agentPort = shop.awaitMetricsPort();
            shop.awaitLine(line -> line.startsWith("shop: started"), Duration.ofSeconds(30));
            ShopDatabase db = pg.db();
            Scrape.until(agentPort, ConfigFiles::everyQuerySucceeded, Duration.ofSeconds(30));

            int port = freePort();
            Path config = prometheusConfig(dir, agentPort);
            Process prometheus = new ProcessBuilder(ConfigFiles.PROMETHEUS_BIN.toString(),
                    "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                Prometheus api = new Prometheus(port, prometheus, dir.resolve("prometheus.log"));
                api.until("up{job=\"bizmetrics\"}", r -> r.equals(Map.of("{}", 1.0)), Duration.ofSeconds(30));

                // The numbers, as PromQL over what Prometheus stored, against SQL on the shop's database.
                api.assertEquals("sum by (status) (shop_orders)",
                        db.byLabel("status", "SELECT status, COUNT(*) FROM orders GROUP BY status"));
                api.assertEquals("sum by (region) (shop_orders_value)",
                        db.byLabel("region", "SELECT region, SUM(amount) FROM orders GROUP BY region"));
                api.assertEquals("shop_revenue_total", db.byLabel("region", "SELECT o.region, SUM(p.amount) "
                        + "FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.status = 'CAPTURED' "
                        + "GROUP BY o.region"));
                api.assertEquals("shop_payments{status=\"PENDING\"}", db.byLabels(List.of("method", "status"),
                        "SELECT method, status, COUNT(*) FROM payments WHERE status = 'PENDING' GROUP BY method, status"));
                long stuck = db.count("SELECT COUNT(*) FROM payments WHERE status = 'PENDING' "
                        + "AND created_at < now() - interval '10 minutes'");
                assertThat(stuck).isPositive();
                api.assertEquals("shop_payments_stuck", Map.of("{}", (double) stuck));
                api.assertEquals("sum(shop_signups_total)", Map.of("{}",
                        (double) db.count("SELECT COUNT(*) FROM signups")));
                api.assertEquals("shop_customers", db.byLabel("plan",
                        "SELECT plan, COUNT(*) FROM customers GROUP BY plan"));
                api.assertEquals("shop_pending_order_oldest_timestamp_seconds", oldestPending(db));
                api.assertEquals("count(shop_app_info{schema_version=\"2\"})", Map.of("{}", 1.0));

                // The alert rules of config/alerts.yml load and evaluate; the seed's stuck payments set one off.
                api.until("ALERTS{alertname=\"ShopPaymentsStuck\"}", r -> r.size() == 1, Duration.ofSeconds(20));
                List<Object> rules = api.rules();
                for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline
                        && !rules.stream().allMatch(rule -> "ok".equals(Json.object(rule).get("health"))); ) {
                    Thread.sleep(250); // a rule's health is "unknown" until its group's first evaluation
                    rules = api.rules();
                }
                assertThat(rules).hasSizeGreaterThanOrEqualTo(5).allSatisfy(rule ->
                        assertThat(Json.object(rule)).as(rule.toString()).containsEntry("health", "ok"));

                // Every query of the Grafana dashboard evaluates and returns series.
                Object dashboard = Json.parse(Files.readString(ConfigFiles.DASHBOARD, StandardCharsets.UTF_8));
                for (String expression : ConfigFiles.dashboardExpressions(dashboard)) {
                    String promql = expression.replace("$__rate_interval", "1m").replace("$job", "bizmetrics")
                            .replace("$instance", ".*");
                    api.until(promql, r -> !r.isEmpty(), Duration.ofSeconds(20));
                }
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(15, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            assertThat(prometheus.isAlive()).isFalse();
        }
    }

    /**
     * config/prometheus.yml as shipped, but scraping the agent's test port each second, and with alerts.yml beside
     * it. Each change is asserted to have happened, so that a reshaped file fails here rather than being ignored.
     */
    private static Path prometheusConfig(Path dir, int agentPort) throws IOException {
        String shipped = Files.readString(ConfigFiles.PROMETHEUS, StandardCharsets.UTF_8);
        String derived = shipped;
        for (String[] change : new String[][] {
                {"'localhost:30313'", "'127.0.0.1:" + agentPort + "'"},
                {"scrape_interval: 15s", "scrape_interval: 1s"},
                {"evaluation_interval: 15s", "evaluation_interval: 1s"},
                {"scrape_timeout: 10s", "scrape_timeout: 1s"}}) {
            assertThat(derived).as("config/prometheus.yml has " + change[0]).contains(change[0]);
            derived = derived.replace(change[0], change[1]);
        }
        Files.copy(ConfigFiles.ALERTS, dir.resolve("alerts.yml"));
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, derived);
        return config;
    }

    private static Map<String, Double> oldestPending(ShopDatabase db) throws SQLException {
        Map<String, Double> oldest = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT region, MIN(created_at) FROM orders WHERE status = 'NEW' GROUP BY region")) {
            while (rs.next()) {
                oldest.put("{region=\"" + rs.getString(1) + "\"}", rs.getTimestamp(2).getTime() / 1000.0);
            }
        }
        return oldest;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Prometheus's HTTP API. */
    private record Prometheus(int port, Process process, Path log) {

        Map<String, Object> get(String pathAndQuery) throws IOException, InterruptedException {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, Object> body = Json.object(Json.parse(response.body()));
            if (response.statusCode() != 200 || !"success".equals(body.get("status"))) {
                throw new AssertionError(pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
            }
            return body;
        }

        List<Object> rules() throws IOException, InterruptedException {
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
        Map<String, Double> until(String promql, Predicate<Map<String, Double>> condition, Duration timeout)
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
                } catch (IOException | AssertionError e) {
                    error = e.toString();
                }
                Thread.sleep(250);
            }
            throw new AssertionError(promql + ": condition not met within " + timeout + "; last result " + last
                    + " " + error + "\nprometheus log:\n" + Files.readString(log));
        }

        /** The query's result equals the expected series, each value within 1e-9 relative. */
        void assertEquals(String promql, Map<String, Double> expected) throws IOException, InterruptedException {
            assertThat(expected).as("SQL for " + promql).isNotEmpty();
            Map<String, Double> actual;
            try {
                actual = until(promql, r -> close(r, expected), Duration.ofSeconds(20));
            } catch (AssertionError e) {
                actual = query(promql);
            }
            assertThat(new TreeMap<>(actual)).as(promql).isEqualTo(new TreeMap<>(rounded(actual, expected)));
        }

        private static boolean close(Map<String, Double> actual, Map<String, Double> expected) {
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
            out.replaceAll((k, v) -> actual.containsKey(k) && close(Map.of(k, actual.get(k)), Map.of(k, v))
                    ? actual.get(k) : v);
            return out;
        }
    }
}
