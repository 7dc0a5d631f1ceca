package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.HostShapes;
import dev.bizmetrics.agent.it.support.OrderDatabases;
import dev.bizmetrics.agent.it.support.Promtool;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.bizmetrics.agent.it.support.HostShapes.info;
import static dev.bizmetrics.agent.it.support.HostShapes.matches;
import static dev.bizmetrics.agent.it.support.Scrape.family;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot 3.5 executable jar (nested jars, {@code spring-boot-starter-jdbc}, HikariCP built by Boot from
 * {@code spring.datasource.*}) on Java 17 with the agent on the command line, on PostgreSQL.
 */
class SpringBootIT {

    @Test
    void theBootPoolIsFoundBoundAndQueried(@TempDir Path dir) throws Exception {
        try (OrderDatabases databases = OrderDatabases.postgres()) {
            ShopDatabase db = databases.create("boot");
            OrderDatabases.fill(db, Map.of("NEW", 4, "PAID", 6));
            Path config = HostShapes.config(dir, Map.of("main", "shop_orders"));
            try (HostProcess host = HostProcess.start(HostProcess.JAVA_17,
                    List.of(HostProcess.agentFlag("config=" + config + ",http.port=0")), TestHosts.BOOT_JAR,
                    List.of("--spring.datasource.url=" + db.url(), "--spring.datasource.username=postgres"), Map.of())) {
                int port = host.awaitMetricsPort();
                host.awaitLine(line -> line.equals("boot: started with 10 orders"), Duration.ofSeconds(60));
                Map<String, Double> scrape = HostShapes.until(host, port, matches("shop_orders", db));
                assertThat(family(scrape, "bizmetrics_datasource_info"))
                        .containsEntry(info("com.zaxxer.hikari.HikariDataSource", "main", "boot-shop", db.url()), 1.0);
                assertThat(scrape).containsEntry("bizmetrics_datasource_bound{datasource=\"main\"}", 1.0);
            }
        }
    }

    /**
     * The agent's {@code db_client_connection_*} of Boot's pool and Micrometer's {@code hikaricp_*} on Actuator's
     * {@code /actuator/prometheus} say the same: max, used, idle, pending.
     */
    @Test
    void thePoolMetricsAgreeWithMicrometers(@TempDir Path dir) throws Exception {
        try (OrderDatabases databases = OrderDatabases.postgres()) {
            ShopDatabase db = databases.create("bootpool");
            OrderDatabases.fill(db, Map.of("NEW", 1));
            Path config = HostShapes.config(dir, Map.of("main", "shop_orders"));
            try (HostProcess host = HostProcess.start(HostProcess.JAVA_17,
                    List.of(HostProcess.agentFlag("config=" + config + ",http.port=0")), TestHosts.BOOT_JAR,
                    List.of("--spring.datasource.url=" + db.url(), "--spring.datasource.username=postgres"), Map.of())) {
                int port = host.awaitMetricsPort();
                String started = host.awaitLine(line -> line.contains("Tomcat started on port"), Duration.ofSeconds(60));
                int actuator = Integer.parseInt(started.replaceAll(".*Tomcat started on port (\\d+).*", "$1"));
                String pool = "{db_client_connection_pool_name=\"boot-shop\"";
                Map<String, Double> ours = Scrape.until(port,
                        m -> m.containsKey("db_client_connection_max" + pool + "}"), Duration.ofSeconds(20));
                Map<String, Double> micrometer = Scrape.metrics(actuator, "/actuator/prometheus");
                ours = Scrape.metrics(port);
                assertThat(ours.get("db_client_connection_max" + pool + "}")).isEqualTo(3.0)
                        .isEqualTo(micrometer.get("hikaricp_connections_max{pool=\"boot-shop\"}"));
                assertThat(ours.get("db_client_connection_idle_min" + pool + "}"))
                        .isEqualTo(micrometer.get("hikaricp_connections_min{pool=\"boot-shop\"}"));
                assertThat(ours.get("db_client_connection_count" + pool + ",db_client_connection_state=\"used\"}"))
                        .isEqualTo(micrometer.get("hikaricp_connections_active{pool=\"boot-shop\"}"));
                assertThat(ours.get("db_client_connection_count" + pool + ",db_client_connection_state=\"idle\"}"))
                        .isEqualTo(micrometer.get("hikaricp_connections_idle{pool=\"boot-shop\"}"));
                assertThat(ours.get("db_client_connection_pending_requests" + pool + "}")).isEqualTo(0.0)
                        .isEqualTo(micrometer.get("hikaricp_connections_pending{pool=\"boot-shop\"}"));
                assertThat(Promtool.checkMetrics(Scrape.text(port, "/metrics"))).isEqualTo("");
            }
        }
    }
}
