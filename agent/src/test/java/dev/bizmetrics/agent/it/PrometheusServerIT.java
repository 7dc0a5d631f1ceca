package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.ConfigFiles;
import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.Json;
import dev.bizmetrics.agent.it.support.PostgresSchema;
import dev.bizmetrics.agent.it.support.PrometheusServer;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end as in production: the sample shop on PostgreSQL with the agent and config/bizmetrics.properties, a
 * real Prometheus server (the Debian package's binary) scraping it with config/prometheus.yml and its alert rules,
 * and PromQL over Prometheus's HTTP API answering with the numbers a direct SQL SELECT gives. The shop is idle
 * (--rate 0), so the database does not move under the comparison.
 */
class PrometheusServerIT {

    @Test
    void promqlOverPrometheusEqualsSqlAndTheAlertRulesAndDashboardQueriesEvaluate(@TempDir Path dir) throws Exception {
        try (PostgresSchema pg = PostgresSchema.create();
             HostProcess shop = HostProcess.startShop(HostProcess.JAVA_17, List.of(ConfigFiles.agentFlag()),
                     List.of("--jdbc-url", pg.url(), "--user", "postgres", "--rate", "0"))) {
            int agentPort = shop.awaitMetricsPort();
            shop.awaitLine(line -> line.startsWith("shop: started"), Duration.ofSeconds(30));
            ShopDatabase db = pg.db();
            Scrape.until(agentPort, ConfigFiles::everyQuerySucceeded, Duration.ofSeconds(30));

            Path config = prometheusConfig(dir, agentPort);
            PrometheusServer api = PrometheusServer.start(dir, config);
            try {
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

                // Histograms: the buckets as SQL counts them, and the median as Prometheus computes it from them
                // within the width of the bucket the SQL median falls in.
                // Prometheus scrapes OpenMetrics, where a gauge histogram's count and sum are _gcount and _gsum.
                api.assertEquals("shop_order_amount_gcount", db.byLabel("region",
                        "SELECT region, COUNT(*) FROM orders GROUP BY region"));
                api.assertEquals("sum(shop_order_amount_bucket{le=\"100.0\"})", Map.of("{}",
                        (double) db.count("SELECT COUNT(*) FROM orders WHERE amount <= 100")));
                double median = db.number("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) FROM orders");
                double[] bounds = {0, 25, 50, 100, 150, 200};
                int bucket = 1;
                while (bucket < bounds.length - 1 && median > bounds[bucket]) {
                    bucket++;
                }
                double width = bounds[bucket] - bounds[bucket - 1];
                double quantile = api.until("histogram_quantile(0.5, sum by (le) (shop_order_amount_bucket))",
                        r -> r.size() == 1, Duration.ofSeconds(20)).get("{}");
                System.out.printf("order amount median: SQL %.2f, histogram_quantile %.2f (bucket %s..%s)%n",
                        median, quantile, bounds[bucket - 1], bounds[bucket]);
                assertThat(quantile).isCloseTo(median, org.assertj.core.data.Offset.offset(width));
                // (its rows have no sum, and client_java's OpenMetrics writer then writes no _gcount either: read +Inf)
                api.assertEquals("sum(shop_payment_pending_age_seconds_bucket{le=\"+Inf\"})", Map.of("{}",
                        (double) db.count("SELECT COUNT(*) FROM payments WHERE status = 'PENDING'")));
                api.assertEquals("sum(shop_payment_pending_age_seconds_bucket{le=\"600.0\"})", Map.of("{}",
                        (double) db.count("SELECT COUNT(*) FROM payments WHERE status = 'PENDING' "
                                + "AND created_at >= LOCALTIMESTAMP - INTERVAL '10' MINUTE")));

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
                api.close();
            }
            assertThat(api.isAlive()).isFalse();
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

}
