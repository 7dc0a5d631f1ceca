package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.CommandResult;
import dev.bizmetrics.agent.it.support.H2Tcp;
import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.PostgresSchema;
import dev.bizmetrics.agent.it.support.Promtool;
import dev.bizmetrics.agent.it.support.ProtobufScrape;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static org.assertj.core.api.Assertions.assertThat;

/** Query semantics in a real host: shared queries, timeouts, the read-only guard, drops, and an invalid file. */
class QuerySemanticsIT {




    @Test
    void aSharedQueryRunsOncePerIntervalWhateverTheNumberOfMetricsItFeeds(@TempDir Path dir) throws Exception {
        ShopDatabase db = h2Database();
        String sql = "SELECT region, COUNT(*) AS n, SUM(amount) AS revenue FROM orders GROUP BY region";
        Path config = TestConfigs.write(dir, """
                query.by_region.sql=%s
                query.by_region.interval=500ms
                metric.shop_region_orders.query=by_region
                metric.shop_region_orders.value=n
                metric.shop_region_revenue.query=by_region
                metric.shop_region_revenue.value=revenue
                """.formatted(sql));
        try (HostProcess host = shop(config, db.url())) {
            int port = host.awaitMetricsPort();
            String runs = "bizmetrics_query_runs_total{query=\"by_region\",result=\"success\"}";
            Scrape.until(port, m -> m.getOrDefault(runs, 0.0) >= 1, Duration.ofSeconds(30));
            db.execute("SET QUERY_STATISTICS TRUE");
            double before = Scrape.metrics(port).get(runs);
            Thread.sleep(4000);
            double after = Scrape.metrics(port).get(runs);
            long executions = executionCount(db, sql);

            assertThat(after - before).isBetween(5.0, 10.0);
            // Counted by the database: one execution per run, not one per metric (±1 for a run between the reads).
            assertThat((double) executions).isBetween(after - before - 1, after - before + 1);
            assertThat(family(Scrape.metrics(port), "shop_region_orders")).hasSize(3);
            assertThat(family(Scrape.metrics(port), "shop_region_revenue")).hasSize(3);
        }
    }

    @Test
    void aQueryPastItsTimeoutIsCancelledOnTimeAndTheOthersKeepTheirSchedule(@TempDir Path dir) throws Exception {
        try (PostgresSchema pg = PostgresSchema.create()) {
            Path config = TestConfigs.write(dir, """
                    datasource.main.max-connections=2
                    metric.slow.sql=SELECT 1 AS v FROM pg_sleep(5)
                    metric.slow.timeout=1s
                    metric.slow.interval=2s
                    metric.fast.sql=SELECT COUNT(*) AS n FROM orders
                    metric.fast.interval=500ms
                    """);
            try (HostProcess host = shop(config, pg.url())) {
                int port = host.awaitMetricsPort();
                String timeouts = "bizmetrics_query_runs_total{query=\"slow\",result=\"timeout\"}";
                String fastRuns = "bizmetrics_query_runs_total{query=\"fast\",result=\"success\"}";
                Map<String, Double> first = Scrape.until(port, m -> m.getOrDefault(timeouts, 0.0) >= 1,
                        Duration.ofSeconds(30));
                assertThat(first).containsEntry("bizmetrics_query_success{query=\"slow\"}", 0.0);
                // Cancelled at its 1 s timeout; the rest is the cancel's round trip on a busy 2-core machine.
                assertThat(first.get("bizmetrics_query_duration_seconds{query=\"slow\"}")).isBetween(0.9, 2.5);
                assertThat(family(first, "slow")).isEmpty();
                assertThat(family(first, "fast")).hasSize(1);
                // No statement of the agent outlives its timeout on the server.
                assertThat(pg.count("SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(5)%' "
                        + "AND state = 'active' AND query_start < now() - interval '2 seconds' "
                        + "AND pid <> pg_backend_pid()")).isZero();

                double fastBefore = first.get(fastRuns);
                Map<String, Double> later = Scrape.until(port, m -> m.getOrDefault(timeouts, 0.0) >= 2,
                        Duration.ofSeconds(30));
                assertThat(later.get(fastRuns) - fastBefore).isGreaterThanOrEqualTo(3);
                assertThat(host.stderr()).anyMatch(line -> line.startsWith("[bizmetrics] warn query slow timeout: "
                        + "timed out after 1000 ms and was cancelled"));
            }
        }
    }

    @Test
    void withAllowAnySqlAWriteInsideAQueryDoesNotPersist(@TempDir Path dir) throws Exception {
        try (PostgresSchema pg = PostgresSchema.create()) {
            pg.db().execute("CREATE TABLE audit (n INT)");
            Path config = TestConfigs.write(dir, """
                    allow-any-sql=true
                    metric.sneaky.sql=WITH ins AS (INSERT INTO audit VALUES (1) RETURNING n) SELECT COUNT(*) AS n FROM ins
                    metric.sneaky.interval=500ms
                    metric.direct.sql=INSERT INTO audit VALUES (2) RETURNING n
                    metric.direct.interval=500ms
                    """);
            try (HostProcess host = shop(config, pg.url())) {
                int port = host.awaitMetricsPort();
                String errors = "bizmetrics_query_runs_total{query=\"sneaky\",result=\"error\"}";
                String directErrors = "bizmetrics_query_runs_total{query=\"direct\",result=\"error\"}";
                Scrape.until(port, m -> m.getOrDefault(errors, 0.0) >= 2 && m.getOrDefault(directErrors, 0.0) >= 2,
                        Duration.ofSeconds(30));
                assertThat(pg.count("SELECT COUNT(*) FROM audit")).isZero();
                // A query is sent wrapped in a SELECT, where PostgreSQL refuses a data-modifying WITH...
                assertThat(host.stderr()).anyMatch(line -> line.startsWith("[bizmetrics] warn query sneaky error: ")
                        && line.contains("data-modifying statement must be at the top level"));
                // ...and any other statement runs in a read-only transaction.
                assertThat(host.stderr()).anyMatch(line -> line.startsWith("[bizmetrics] warn query direct error: ")
                        && line.contains("read-only transaction"));
            }
        }
    }

    @Test
    void oddLabelValuesComeOutEscapedInEveryFormat(@TempDir Path dir) throws Exception {
        ShopDatabase db = h2Database();
        List<String> odd = List.of("quote\"d", "back\\slash", "new\nline", "tab\there", "客户", "🚀", "");
        db.execute("CREATE TABLE odd (label VARCHAR(40), v INT)");
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO odd VALUES (?, ?)")) {
            for (int i = 0; i < odd.size(); i++) {
                ps.setString(1, odd.get(i));
                ps.setInt(2, i);
                ps.executeUpdate();
            }
            ps.setString(1, null);
            ps.setInt(2, 99);
            ps.executeUpdate(); // NULL label = "" → a duplicate of the empty string row
        }
        Path config = TestConfigs.write(dir, """
                metric.odd_labels.sql=SELECT label, v FROM odd ORDER BY v
                metric.odd_labels.interval=500ms
                """);
        try (HostProcess host = shop(config, db.url())) {
            int port = host.awaitMetricsPort();
            Scrape.until(port, m -> family(m, "odd_labels").size() == 7, Duration.ofSeconds(30));
            String text = Scrape.text(port, "/metrics");
            assertThat(text).contains(
                    "odd_labels{label=\"quote\\\"d\"} 0.0\n",
                    "odd_labels{label=\"back\\\\slash\"} 1.0\n",
                    "odd_labels{label=\"new\\nline\"} 2.0\n",
                    "odd_labels{label=\"tab\there\"} 3.0\n",
                    "odd_labels{label=\"客户\"} 4.0\n",
                    "odd_labels{label=\"🚀\"} 5.0\n",
                    "odd_labels{label=\"\"} 6.0\n");
            assertThat(text).contains("bizmetrics_series_dropped_total{metric=\"odd_labels\",reason=\"duplicate\"}");
            assertThat(Promtool.checkMetrics(text)).isEqualTo("");

            String openMetrics = Scrape.text(port, "/metrics", "application/openmetrics-text; version=1.0.0");
            assertThat(openMetrics).contains("odd_labels{label=\"new\\nline\"} 2.0\n", "odd_labels{label=\"客户\"} 4.0\n")
                    .endsWith("# EOF\n");

            Map<String, Double> protobuf = ProtobufScrape.gauge(port, "odd_labels", "label");
            assertThat(protobuf).containsEntry("new\nline", 2.0).containsEntry("客户", 4.0)
                    .containsEntry("🚀", 5.0).containsEntry("quote\"d", 0.0).hasSize(7);
        }
    }

    @Test
    void rowsThatBecomeNoSeriesAreCountedByReason(@TempDir Path dir) throws Exception {
        ShopDatabase db = h2Database();
        Path config = TestConfigs.write(dir, """
                metric.one_per_status.sql=SELECT status, 1 AS v FROM orders
                metric.one_per_status.interval=500ms
                metric.nulls.sql=SELECT region, CASE WHEN region = 'eu' THEN NULL ELSE 1 END AS v FROM orders GROUP BY region
                metric.nulls.interval=500ms
                metric.capped.sql=SELECT id, amount FROM orders
                metric.capped.value=amount
                metric.capped.max-series=10
                metric.capped.interval=500ms
                """);
        try (HostProcess host = shop(config, db.url())) {
            int port = host.awaitMetricsPort();
            String runs = "bizmetrics_query_runs_total{query=\"one_per_status\",result=\"success\"}";
            Map<String, Double> m = Scrape.until(port, s -> s.getOrDefault(runs, 0.0) >= 3
                    && family(s, "capped").size() == 10, Duration.ofSeconds(30));
            assertThat(family(m, "one_per_status")).hasSize(4);
            assertThat(m.get("bizmetrics_series_dropped_total{metric=\"one_per_status\",reason=\"duplicate\"}"))
                    .isGreaterThanOrEqualTo(46);
            assertThat(family(m, "nulls")).containsOnlyKeys("{region=\"us\"}", "{region=\"apac\"}");
            assertThat(m.get("bizmetrics_series_dropped_total{metric=\"nulls\",reason=\"null_value\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(m.get("bizmetrics_series_dropped_total{metric=\"capped\",reason=\"max_series\"}"))
                    .isGreaterThanOrEqualTo(40);
            assertThat(m.get("bizmetrics_query_rows{query=\"capped\"}")).isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void anInvalidFileServesItsStatusAndRunsNoQuery(@TempDir Path dir) throws Exception {
        Path config = TestConfigs.write(dir, """
                metric.shop_orders.sql=SELECT status, COUNT(*) AS n FROM orders GROUP BY status
                metric.shop_orders.type=gauge2
                """);
        try (HostProcess host = HostProcess.startShop(HostProcess.JAVA_17,
                List.of(HostProcess.agentFlag("config=" + config + ",http.port=0")),
                List.of("--rate", "20", "--run-seconds", "3"))) {
            int port = host.awaitMetricsPort();
            Map<String, Double> m = Scrape.metrics(port);
            assertThat(m).containsEntry("bizmetrics_config_last_reload_success", 0.0)
                    .containsEntry("bizmetrics_build_info{version=\"0.1.0-SNAPSHOT\"}", 1.0);
            assertThat(family(m, "bizmetrics_query_runs_total")).isEmpty();
            assertThat(host.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(host.stderr()).contains("[bizmetrics] error config bizmetrics.properties:2: "
                    + "metric.shop_orders.type: unknown type 'gauge2'; use gauge, counter, info, histogram or summary");
            assertThat(host.stdout()).anyMatch(line -> line.startsWith("shop: done with"));
        }
    }

    @Test
    void checkPrintsTheMetricsOrEveryProblemWithExitCodes(@TempDir Path dir) throws Exception {
        Path valid = TestConfigs.write(dir, """
                metric.shop_orders_total.sql=SELECT status, COUNT(*) AS n FROM orders GROUP BY status
                metric.shop_orders_total.type=counter
                metric.shop_orders_total.const-labels=team=checkout
                metric.shop_build_info.sql=SELECT 'v1' AS release
                metric.shop_build_info.type=info
                """);
        CommandResult ok = CommandResult.run("check", valid.toString());
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.stdout()).contains("query shop_orders_total: every 30s, timeout 10s, datasource main",
                "  metric shop_orders_total (counter): labels (every column but the value) + {team=checkout}, "
                        + "value (the numeric column)",
                "  metric shop_build_info (info): labels (every column), value 1");

        Path invalid = dir.resolve("invalid.properties");
        Files.writeString(invalid, "metric.a.sql=DELETE FROM orders\nmetric.a.tpye=gauge\n");
        CommandResult bad = CommandResult.run("check", invalid.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains(
                "invalid.properties:2: metric.a.tpye: unknown key; did you mean metric.a.type?",
                "invalid.properties:1: metric.a.sql: the statement starts with DELETE under PostgreSQL rules; only "
                        + "SELECT, WITH and VALUES queries run: rewrite it as a query, or set allow-any-sql=true",
                "2 problem(s) in " + invalid);

        CommandResult missing = CommandResult.run("check", dir.resolve("nope.properties").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(CommandResult.run("version").stdout()).isEqualTo("bizmetrics 0.1.0-SNAPSHOT\n");
    }

    private static HostProcess shop(Path config, String url) throws java.io.IOException {
        return HostProcess.startShop(HostProcess.JAVA_17,
                List.of(HostProcess.agentFlag("config=" + config + ",http.port=0")),
                List.of("--jdbc-url", url, "--user", url.startsWith("jdbc:postgresql") ? "postgres" : "sa",
                        "--rate", "0"));
    }

    private static ShopDatabase h2Database() {
        return new ShopDatabase(H2Tcp.newDatabase("q"), "sa", "");
    }

    private static long executionCount(ShopDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT SUM(EXECUTION_COUNT) FROM INFORMATION_SCHEMA.QUERY_STATISTICS WHERE SQL_STATEMENT LIKE ?")) {
            // The agent sends a query wrapped as SELECT * FROM (<query>) bizmetrics_q.
            ps.setString(1, "%" + sql + "%bizmetrics_q");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
