package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.OrderDatabases;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.TomcatServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tomcat's other usual set-up, on a real Tomcat 10.1 and PostgreSQL: one pool in {@code GlobalNamingResources}
 * ({@code conf/server.xml}), linked into the test's web application by a {@code ResourceLink} in the application's
 * own {@code META-INF/context.xml}. {@code jndi:java:comp/env/jdbc/orders}, the name the application knows, binds
 * that one pool, looked up in the application's naming context (which the agent finds through the application's
 * first use of the pool); {@code auto} binds it too, the only pool.
 */
class TomcatGlobalResourceIT {

    @Test
    void aGlobalPoolLinkedIntoTheApplicationBindsByTheApplicationsJndiName(@TempDir Path dir) throws Exception {
        try (OrderDatabases databases = OrderDatabases.postgres()) {
            ShopDatabase orders = databases.create("global");
            OrderDatabases.fill(orders, Map.of("NEW", 4, "SHIPPED", 7));
            TomcatServer server = new TomcatServer(dir);
            server.edit("conf/server.xml", "</GlobalNamingResources>", "  "
                    + TomcatServer.resource("jdbc/globalorders", orders) + "\n  </GlobalNamingResources>");
            server.deploy("orders", "jdbc/orders", "<Context>\n  <ResourceLink name=\"jdbc/orders\" "
                    + "global=\"jdbc/globalorders\" type=\"javax.sql.DataSource\"/>\n</Context>\n");
            Path config = dir.resolve("bizmetrics.properties");
            Files.writeString(config, String.join("\n",
                    "http.port=0",
                    "defaults.interval=1s",
                    "datasource.main.match=jndi:java:comp/env/jdbc/orders",
                    "datasource.any.match=auto",
                    "metric.orders_linked.sql=" + OrderDatabases.BY_STATUS.replace("COUNT(*)", "COUNT(*) AS n"),
                    "metric.orders_auto.sql=" + OrderDatabases.BY_STATUS.replace("COUNT(*)", "COUNT(*) AS n"),
                    "metric.orders_auto.datasource=any", ""));
            try (HostProcess tomcat = server.start(config)) {
                int port = tomcat.awaitMetricsPort();
                // The application's naming context is found through the application: its first use of the pool.
                assertThat(server.getUntil("/orders/", "orders=", Duration.ofSeconds(60))).contains("orders=11");
                Map<String, Double> scrape = Scrape.until(port, m -> !family(m, "orders_linked").isEmpty()
                        && !family(m, "orders_auto").isEmpty(), Duration.ofSeconds(60));
                Map<String, Double> expected = orders.byLabel("status", OrderDatabases.BY_STATUS);
                assertThat(family(scrape, "orders_linked")).isEqualTo(expected);
                assertThat(family(scrape, "orders_auto")).isEqualTo(expected);
                assertThat(family(scrape, "bizmetrics_datasource_info")).containsKey("{class=\"org.apache."
                        + "tomcat.dbcp.dbcp2.BasicDataSource\",datasource=\"main\",jndi=\"java:comp/env/jdbc/orders\","
                        + "pool=\"\",url=\"" + orders.url() + "\"}");
                assertThat(tomcat.output()).noneMatch(line -> line.startsWith("[bizmetrics] error")
                        || line.startsWith("[bizmetrics] warn"));
            }
        }
    }
}
