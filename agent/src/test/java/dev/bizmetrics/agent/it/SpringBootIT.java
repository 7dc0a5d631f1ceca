package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.HostShapes;
import dev.bizmetrics.agent.it.support.OrderDatabases;
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
}
