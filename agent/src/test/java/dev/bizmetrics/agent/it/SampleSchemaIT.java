package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.ConfigFiles;
import dev.bizmetrics.agent.it.support.H2Tcp;
import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.PostgresSchema;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample shop's schema and activity, and every query of config/bizmetrics.properties, on H2, H2 in
 * MODE=Oracle (the stand-in for Oracle, which cannot run here), PostgreSQL and MariaDB. The shop first runs with
 * activity and no agent (creating the schema, seeding, orders, payments, signups, plan changes), then idle with the
 * agent: every metric must equal what the test computes in Java from the raw rows it reads itself, not from the
 * config's SQL.
 */
class SampleSchemaIT {

    private static final String ORDER_AMOUNT = "shop_order_amount";
    private static final String PENDING_AGE = "shop_payment_pending_age_seconds";
    private static final double[] AMOUNT_BOUNDS = {25, 50, 100, 150, 200};


    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "h2-oracle", "postgresql", "mariadb"})
    void everyMetricOfTheShippedConfigEqualsTheRowsOnEachDatabase(String database) throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String h2Url = H2Tcp.url("sample_" + id);
        switch (database) {
            case "h2" -> check(new ShopDatabase(h2Url, "sa", ""));
            case "h2-oracle" -> check(new ShopDatabase(h2Url + ";MODE=Oracle", "sa", ""));
            case "postgresql" -> {
                try (PostgresSchema pg = PostgresSchema.create()) {
                    check(pg.db());
                }
            }
            case "mariadb" -> {
                ShopDatabase admin = new ShopDatabase("jdbc:mariadb://127.0.0.1:3306/test", "root", "");
                String name = "bm_it_" + id;
                admin.execute("CREATE DATABASE " + name);
                try {
                    check(new ShopDatabase("jdbc:mariadb://127.0.0.1:3306/" + name, "root", ""));
                } finally {
                    admin.execute("DROP DATABASE " + name);
                }
            }
            default -> throw new IllegalArgumentException(database);
        }
    }

    private static void check(ShopDatabase db) throws Exception {
        List<String> connect = List.of("--jdbc-url", db.url(), "--user", db.user(), "--password", db.password());
        // 1. The shop on its own: schema, a day of history, then 2 s of activity at 20 orders per second.
        try (HostProcess busy = HostProcess.startShop(HostProcess.JAVA_17, List.of(),
                concat(connect, "--rate", "20", "--run-seconds", "2"))) {
            assertThat(busy.awaitExit(Duration.ofSeconds(60))).as(String.join("\n", busy.output())).isZero();
            assertThat(busy.stdout()).anyMatch(line -> line.startsWith("shop: started on ") && line.endsWith(" with 50 orders"));
        }
        assertThat(db.count("SELECT COUNT(*) FROM orders")).isGreaterThan(60);
        assertThat(db.count("SELECT COUNT(*) FROM payments WHERE status = 'PENDING'")).isPositive();

        // 2. The shop again, idle, on the existing schema, with the agent and the shipped config.
        try (HostProcess host = HostProcess.startShop(HostProcess.JAVA_17, List.of(ConfigFiles.agentFlag()),
                concat(connect, "--rate", "0"))) {
            int port = host.awaitMetricsPort();
            host.awaitLine(line -> line.startsWith("shop: started"), Duration.ofSeconds(30));
            Map<String, Map<String, Double>> expected = expected(db);
            assertThat(expected.keySet()).as("the test covers every metric of the shipped config")
                    .isEqualTo(ConfigFiles.configuredMetrics());
            assertThat(expected.get("shop_payments_stuck")).as("the seed has stuck payments")
                    .hasEntrySatisfying("", stuck -> assertThat(stuck).isPositive());
            assertThat(pendingMinutes(db)).as("pending payments on both sides of the 10-minute cutoff, none near it")
                    .anyMatch(minutes -> minutes > 2 && minutes < 8).anyMatch(minutes -> minutes > 12)
                    .noneMatch(minutes -> minutes > 8 && minutes < 12);
            Map<String, Double> scrape;
            try {
                scrape = Scrape.until(port, m -> ConfigFiles.everyQuerySucceeded(m)
                        && actual(m, expected.keySet()).equals(expected), Duration.ofSeconds(30));
            } catch (AssertionError notYet) {
                scrape = Scrape.metrics(port);
            }
            Map<String, Map<String, Double>> actual = actual(scrape, expected.keySet());
            SoftAssertions softly = new SoftAssertions();
            expected.forEach((metric, series) -> softly.assertThat(actual.get(metric)).as(metric).isEqualTo(series));
            softly.assertAll();
            assertThat(host.stderr()).noneMatch(line -> line.startsWith("[bizmetrics] warn query")
                    || line.startsWith("[bizmetrics] error"));
        }
    }

    private static Map<String, Map<String, Double>> actual(Map<String, Double> scrape, Iterable<String> metrics) {
        Map<String, Map<String, Double>> actual = new TreeMap<>();
        for (String metric : metrics) {
            Map<String, Double> family = new TreeMap<>(Scrape.family(scrape, metric));
            if (metric.equals(ORDER_AMOUNT) || metric.equals(PENDING_AGE)) {
                for (String suffix : List.of("_bucket", "_count", "_sum")) {
                    Scrape.family(scrape, metric + suffix).forEach((labels, value) -> family.put(suffix + labels,
                            suffix.equals("_sum") ? round(value) : value));
                }
                if (metric.equals(PENDING_AGE)) {
                    // Only the buckets no pending payment is near (see pendingMinutes): the others move with time.
                    family.keySet().retainAll(java.util.Set.of("_bucket{le=\"600.0\"}", "_bucket{le=\"+Inf\"}"));
                }
            }
            actual.put(metric, family);
        }
        return actual;
    }

    /** Sums of many doubles, compared to the micro-unit: the order of the additions is the database's. */
    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }

    /** Each metric's series, computed in Java from every row of the tables. */
    private static Map<String, Map<String, Double>> expected(ShopDatabase db) throws SQLException {
        // Counts and sums exactly in BigDecimal, converted to double once, as the agent does with SUM(...)
        Map<String, Map<String, BigDecimal>> sums = new TreeMap<>();
        Map<String, Map<String, Double>> times = new TreeMap<>();
        Map<String, String> orderRegion = new TreeMap<>();
        long cutoff = System.currentTimeMillis() - 10 * 60_000;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, status, region, amount, created_at FROM orders")) {
                while (rs.next()) {
                    String key = labels("region", rs.getString(3), "status", rs.getString(2));
                    add(sums, "shop_orders", key, BigDecimal.ONE);
                    add(sums, "shop_orders_value", key, rs.getBigDecimal(4));
                    String region = labels("region", rs.getString(3));
                    double amount = rs.getBigDecimal(4).doubleValue();
                    add(sums, ORDER_AMOUNT, "_count" + region, BigDecimal.ONE);
                    add(sums, ORDER_AMOUNT, "_sum" + region, rs.getBigDecimal(4));
                    for (double bound : AMOUNT_BOUNDS) {
                        add(sums, ORDER_AMOUNT, "_bucket" + bucket(rs.getString(3), bound),
                                amount <= bound ? BigDecimal.ONE : BigDecimal.ZERO);
                    }
                    add(sums, ORDER_AMOUNT, "_bucket" + bucket(rs.getString(3), Double.POSITIVE_INFINITY),
                            BigDecimal.ONE);
                    orderRegion.put(rs.getString(1), rs.getString(3));
                    double created = rs.getTimestamp(5).getTime() / 1000.0;
                    times.computeIfAbsent("shop_last_order_timestamp_seconds", k -> new TreeMap<>())
                            .merge("", created, Math::max);
                    if (rs.getString(2).equals("NEW")) {
                        times.computeIfAbsent("shop_pending_order_oldest_timestamp_seconds", k -> new TreeMap<>())
                                .merge(labels("region", rs.getString(3)), created, Math::min);
                    }
                }
            }
            // One row whatever the data: COUNT(*) and COALESCE(SUM(...), 0)
            add(sums, "shop_payments_stuck", "", BigDecimal.ZERO);
            add(sums, "shop_payments_stuck_amount", "", BigDecimal.ZERO);
            try (ResultSet rs = s.executeQuery("SELECT order_id, method, status, amount, created_at FROM payments")) {
                while (rs.next()) {
                    String status = rs.getString(3);
                    add(sums, "shop_payments", labels("method", rs.getString(2), "status", status), BigDecimal.ONE);
                    if (status.equals("CAPTURED")) {
                        add(sums, "shop_revenue_total", labels("region", orderRegion.get(rs.getString(1))),
                                rs.getBigDecimal(4));
                    }
                    if (status.equals("PENDING")) {
                        add(sums, PENDING_AGE, "_bucket{le=\"+Inf\"}", BigDecimal.ONE);
                        add(sums, PENDING_AGE, "_bucket{le=\"600.0\"}",
                                rs.getTimestamp(5).getTime() >= cutoff ? BigDecimal.ONE : BigDecimal.ZERO);
                    }
                    if (status.equals("PENDING") && rs.getTimestamp(5).getTime() < cutoff) {
                        add(sums, "shop_payments_stuck", "", BigDecimal.ONE);
                        add(sums, "shop_payments_stuck_amount", "", rs.getBigDecimal(4));
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT plan FROM signups")) {
                while (rs.next()) {
                    add(sums, "shop_signups_total", labels("plan", rs.getString(1)), BigDecimal.ONE);
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT plan FROM customers")) {
                while (rs.next()) {
                    add(sums, "shop_customers", labels("plan", rs.getString(1)), BigDecimal.ONE);
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT app_version, schema_version FROM shop_meta")) {
                while (rs.next()) {
                    times.computeIfAbsent("shop_app_info", k -> new TreeMap<>())
                            .put(labels("app_version", rs.getString(1), "schema_version", rs.getString(2)), 1.0);
                }
            }
        }
        Map<String, Map<String, Double>> expected = new TreeMap<>(times);
        sums.forEach((metric, family) -> {
            Map<String, Double> values = new TreeMap<>();
            family.forEach((key, sum) -> values.put(key, key.startsWith("_sum") ? round(sum.doubleValue())
                    : sum.doubleValue()));
            expected.put(metric, values);
        });
        return expected;
    }

    /** How long ago each PENDING payment was made, in minutes, by this JVM's clock. */
    private static List<Double> pendingMinutes(ShopDatabase db) throws SQLException {
        List<Double> minutes = new java.util.ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT created_at FROM payments WHERE status = 'PENDING'")) {
            while (rs.next()) {
                minutes.add((System.currentTimeMillis() - rs.getTimestamp(1).getTime()) / 60_000.0);
            }
        }
        return minutes;
    }

    private static void add(Map<String, Map<String, BigDecimal>> sums, String metric, String key, BigDecimal amount) {
        sums.computeIfAbsent(metric, k -> new TreeMap<>()).merge(key, amount, BigDecimal::add);
    }

    /** A histogram bucket's labels as the text format writes them: the metric's labels, then {@code le}. */
    private static String bucket(String region, double bound) {
        return "{region=\"" + region + "\",le=\"" + (Double.isInfinite(bound) ? "+Inf" : String.valueOf(bound))
                + "\"}";
    }

    /** Label text as exposed: names in order, values quoted. */
    private static String labels(String... namesAndValues) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.append(i == 0 ? "" : ",").append(namesAndValues[i]).append("=\"").append(namesAndValues[i + 1])
                    .append('"');
        }
        return out.append('}').toString();
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }
}
