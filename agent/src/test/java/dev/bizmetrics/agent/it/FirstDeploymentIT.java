package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.PostgresSchema;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quiet first deployment on PostgreSQL: the application's pool is up before its tables are (a migration still to
 * run). Until a query first succeeds, "relation does not exist" is one info line per query and no back-off, so the
 * first metrics come within one interval of the migration; after that a missing table is a warning as usual.
 */
class FirstDeploymentIT {

    private static final long INTERVAL_MILLIS = 2000;

    @Test
    void queriesWaitQuietlyForTheirTablesAndRunWithinAnIntervalOfTheMigration(@TempDir Path dir) throws Exception {
        try (PostgresSchema schema = PostgresSchema.create()) {
            Path config = dir.resolve("bizmetrics.properties");
            Files.writeString(config, "http.port=0\ndefaults.interval=2s\n"
                    + "metric.shop_orders.sql=SELECT status, COUNT(*) AS n FROM orders GROUP BY status\n"
                    + "metric.shop_revenue.sql=SELECT SUM(amount) AS revenue FROM orders\n");
            try (HostProcess host = TestHosts.start(HostProcess.JAVA_17,
                    List.of(HostProcess.agentFlag(config.toString())), "LateSchemaHost",
                    List.of(schema.url(), "postgres", ""))) {
                int port = host.awaitMetricsPort(Duration.ofSeconds(60));
                // Enough failed runs that a back-off would by now wait 8 intervals.
                Scrape.until(port, m -> runs(m, "shop_orders", "error") >= 5 && runs(m, "shop_revenue", "error") >= 5,
                        Duration.ofSeconds(60));
                assertThat(agentLines(host, "shop_orders")).containsExactly("[bizmetrics] info query shop_orders "
                        + "waits for its tables: PSQLException: ERROR: relation \"orders\" does not exist; it is "
                        + "tried every 2s until it first succeeds (a first deployment whose schema is still to be "
                        + "created?), without more lines till then");
                assertThat(agentLines(host, "shop_revenue")).hasSize(1).allMatch(line -> line.startsWith("[bizmetrics] "
                        + "info query shop_revenue waits for its tables: PSQLException: ERROR: relation \"orders\""));

                host.send("migrate");
                String migrated = host.awaitLine(line -> line.startsWith("late-schema: migrated at "),
                        Duration.ofSeconds(30));
                long migratedMillis = Long.parseLong(migrated.substring("late-schema: migrated at ".length()));
                Map<String, Double> scrape = Scrape.until(port, m -> runs(m, "shop_orders", "success") >= 1
                        && runs(m, "shop_revenue", "success") >= 1, Duration.ofSeconds(60));
                assertThat(family(scrape, "shop_orders")).containsOnly(Map.entry("{status=\"NEW\"}", 2.0),
                        Map.entry("{status=\"PAID\"}", 1.0));
                assertThat(family(scrape, "shop_revenue")).containsOnly(Map.entry("", 35.0));
                for (String query : List.of("shop_orders", "shop_revenue")) {
                    // The first success is the first run after the migration: at most one interval later.
                    double firstSuccess = scrape.get("bizmetrics_query_last_success_timestamp_seconds{query=\""
                            + query + "\"}") * 1000;
                    assertThat(runs(scrape, query, "success")).as(query).isEqualTo(1);
                    assertThat(firstSuccess - migratedMillis).as(query).isBetween(0.0, (double) INTERVAL_MILLIS);
                }
                assertThat(host.output()).noneMatch(line -> line.startsWith("[bizmetrics] warn"));

                // Once it ran, a missing table is a failure like any other: a warning, then back-off.
                host.send("drop");
                String warning = host.awaitLine(line -> line.startsWith("[bizmetrics] warn query shop_orders error: "),
                        Duration.ofSeconds(30));
                assertThat(warning).contains("relation \"orders\" does not exist");
            }
        }
    }

    private static long runs(Map<String, Double> scrape, String query, String result) {
        Double runs = scrape.get("bizmetrics_query_runs_total{query=\"" + query + "\",result=\"" + result + "\"}");
        return runs == null ? 0 : runs.longValue();
    }

    private static List<String> agentLines(HostProcess host, String query) {
        return host.output().stream().filter(line -> line.startsWith("[bizmetrics]")
                && line.contains("query " + query + " ")).toList();
    }
}
