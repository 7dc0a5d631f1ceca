package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.H2Tcp;
import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static dev.bizmetrics.agent.it.support.ShopDatabase.sorted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample shop in its own JVM with the packaged agent: what /metrics says must be what the database says.
 * H2 runs as a TCP server inside this test JVM, so the test reads the very database the host writes.
 */
class AgentEndToEndIT {

    private static final String BY_STATUS = "SELECT status, COUNT(*) FROM orders GROUP BY status";
    private static final String REVENUE_BY_REGION = "SELECT region, SUM(amount) FROM orders GROUP BY region";
    private static final String ORDERS_BY_REGION = "SELECT region, COUNT(*) FROM orders GROUP BY region";




    static List<Path> javas() {
        return List.of(HostProcess.JAVA_17, HostProcess.JAVA_25);
    }

    @ParameterizedTest(name = "host on {0}")
    @MethodSource("javas")
    void businessMetricsEqualTheDatabaseAndFollowIt(Path java, @TempDir Path dir) throws Exception {
        ShopDatabase db = new ShopDatabase(H2Tcp.newDatabase("shop"), "sa", "");
        Path config = TestConfigs.shopOrders(dir);
        try (HostProcess host = HostProcess.startShop(java, List.of(HostProcess.agentFlag("config=" + config
                + ",http.port=0")), List.of("--jdbc-url", db.url(), "--rate", "0"))) {
            int port = host.awaitMetricsPort();
            host.awaitLine(line -> line.startsWith("shop: started"), Duration.ofSeconds(30));

            Map<String, Double> scrape = Scrape.until(port, m -> matchesDatabase(m, db), Duration.ofSeconds(30));
            assertThat(family(scrape, "shop_orders")).hasSize(4);
            assertThat(family(scrape, "bizmetrics_datasource_info")).containsOnlyKeys(
                    "{class=\"com.zaxxer.hikari.HikariDataSource\",datasource=\"main\",pool=\"shop\",url=\"" + db.url() + "\"}",
                    "{class=\"com.zaxxer.hikari.util.DriverDataSource\",datasource=\"\",pool=\"\",url=\"" + db.url() + "\"}");
            assertThat(scrape).containsEntry("bizmetrics_datasource_bound{datasource=\"main\"}", 1.0)
                    .containsEntry("bizmetrics_config_last_reload_success", 1.0)
                    .containsEntry("bizmetrics_build_info{version=\"0.1.0-SNAPSHOT\"}", 1.0)
                    .containsEntry("bizmetrics_query_runs_total{query=\"shop_orders\",result=\"error\"}", 0.0)
                    .containsEntry("bizmetrics_query_rows{query=\"by_region\"}", 3.0);
            assertThat(scrape.get("bizmetrics_query_runs_total{query=\"shop_orders\",result=\"success\"}"))
                    .isGreaterThanOrEqualTo(1.0);

            db.insertOrders(7, "RETURNED", "eu");
            scrape = Scrape.until(port, m -> family(m, "shop_orders").containsKey("{status=\"RETURNED\"}")
                    && matchesDatabase(m, db), Duration.ofSeconds(20));
            assertThat(family(scrape, "shop_orders")).containsEntry("{status=\"RETURNED\"}", 7.0);
        }
    }

    @Test
    void businessMetricsEqualPostgresqlAndTheUrlLabelHasNoPassword(@TempDir Path dir) throws Exception {
        String schema = "bm_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ShopDatabase admin = new ShopDatabase("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
        admin.execute("CREATE SCHEMA " + schema);
        try {
            String url = "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema;
            ShopDatabase db = new ShopDatabase(url, "postgres", "");
            try (HostProcess host = HostProcess.startShop(HostProcess.JAVA_17,
                    List.of(HostProcess.agentFlag("config=" + TestConfigs.shopOrders(dir) + ",http.port=0")),
                    List.of("--jdbc-url", url + "&password=pg-s3cret", "--user", "postgres", "--rate", "0"))) {
                int port = host.awaitMetricsPort();
                host.awaitLine(line -> line.startsWith("shop: started"), Duration.ofSeconds(30));
                Map<String, Double> scrape = Scrape.until(port, m -> matchesDatabase(m, db), Duration.ofSeconds(30));
                assertThat(family(scrape, "bizmetrics_datasource_info")).containsKey(
                        "{class=\"com.zaxxer.hikari.HikariDataSource\",datasource=\"main\",pool=\"shop\",url=\"" + url + "\"}");
                assertThat(Scrape.text(port, "/metrics")).doesNotContain("pg-s3cret");
                assertThat(host.output()).filteredOn(line -> line.startsWith("[bizmetrics]"))
                        .isNotEmpty().noneMatch(line -> line.contains("pg-s3cret"));

                db.insertOrders(3, "RETURNED", "us");
                scrape = Scrape.until(port, m -> family(m, "shop_orders").containsKey("{status=\"RETURNED\"}")
                        && matchesDatabase(m, db), Duration.ofSeconds(20));
                assertThat(family(scrape, "shop_orders")).containsEntry("{status=\"RETURNED\"}", 3.0);
            }
        } finally {
            admin.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static boolean matchesDatabase(Map<String, Double> scrape, ShopDatabase db) {
        try {
            return sorted(family(scrape, "shop_orders")).equals(db.byLabel("status", BY_STATUS))
                    && sorted(family(scrape, "shop_region_orders")).equals(db.byLabel("region", ORDERS_BY_REGION))
                    && sorted(family(scrape, "shop_region_revenue")).equals(db.byLabel("region", REVENUE_BY_REGION));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
