package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.OrderDatabases;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real WildFly from Maven Central ({@code org.wildfly:wildfly-dist}, unpacked by the build) on real PostgreSQL: the
 * PostgreSQL driver deployed as a JDBC 4 driver, a datasource {@code ShopDS} deployed as a {@code -ds.xml}, and a web
 * application (a JSP) that reads the orders through {@code java:jboss/datasources/ShopDS}; the agent in
 * {@code JAVA_OPTS} with {@code dev.bizmetrics.bootstrap} among JBoss Modules' system packages. The server's own
 * directory is a copy of {@code standalone/}; the ports are offset at random.
 */
class WildFlyIT {

    @Test
    void theDatasourcesPoolIsFoundNamedAndBoundAndItsMetricEqualsSql(@TempDir Path dir) throws Exception {
        Path dist = Servers.distribution("bizmetrics.wildfly.dir", "org.wildfly:wildfly-dist");
        try (OrderDatabases databases = OrderDatabases.postgres()) {
            ShopDatabase shop = databases.create("wildfly");
            OrderDatabases.fill(shop, Map.of("NEW", 5, "PAID", 1));
            Path base = dir.resolve("standalone");
            Servers.copyTree(dist.resolve("standalone"), base);
            Path deployments = base.resolve("deployments");
            Path driver = Servers.copyPostgresDriver(deployments);
            Files.writeString(deployments.resolve("shop-ds.xml"), "<datasources xmlns=\"http://www.jboss.org/"
                    + "ironjacamar/schema\">\n  <datasource jndi-name=\"java:jboss/datasources/ShopDS\" "
                    + "pool-name=\"ShopDS\">\n    <connection-url>" + shop.url().replace("&", "&amp;")
                    + "</connection-url>\n    <driver>" + driver.getFileName() + "</driver>\n    <security>"
                    + "<user-name>" + shop.user() + "</user-name><password></password></security>\n"
                    + "  </datasource>\n</datasources>\n");
            Path war = deployments.resolve("shop.war");
            Files.createDirectories(war);
            Files.writeString(war.resolve("index.jsp"), Servers.ordersJsp("java:jboss/datasources/ShopDS"));
            Files.writeString(deployments.resolve("shop.war.dodeploy"), "");
            Path config = dir.resolve("bizmetrics.properties");
            Files.writeString(config, String.join("\n", "http.port=0", "defaults.interval=1s",
                    "datasource.main.match=pool:ShopDS",
                    "metric.orders.sql=" + OrderDatabases.BY_STATUS.replace("COUNT(*)", "COUNT(*) AS n"), ""));
            int offset = ThreadLocalRandom.current().nextInt(20, 200) * 100;
            try (HostProcess wildfly = HostProcess.startScript(dist, List.of("sh", "bin/standalone.sh",
                    "-Djboss.server.base.dir=" + base, "-Djboss.socket.binding.port-offset=" + offset), Map.of(
                    "JAVA_OPTS", "-Xms64m -Xmx512m -Djava.net.preferIPv4Stack=true "
                            + "-Djboss.modules.system.pkgs=org.jboss.byteman,dev.bizmetrics.bootstrap "
                            + HostProcess.agentFlag("config=" + config)))) {
                int port = wildfly.awaitMetricsPort();
                wildfly.awaitLine(line -> line.contains("WFLYSRV0025") || line.contains("WFLYSRV0026"),
                        Duration.ofSeconds(180));
                Map<String, Double> scrape = Scrape.until(port, m -> !family(m, "orders").isEmpty(),
                        Duration.ofSeconds(60));
                assertThat(family(scrape, "orders")).isEqualTo(shop.byLabel("status", OrderDatabases.BY_STATUS));
                assertThat(family(scrape, "bizmetrics_datasource_info").keySet()).anyMatch(k -> k.contains(
                        "class=\"org.jboss.jca.adapters.jdbc.WrapperDataSource\"") && k.contains("datasource=\"main\"")
                        && k.contains("pool=\"ShopDS\"") && k.contains("url=\"" + shop.url() + "\""));
                String page = Servers.get(8080 + offset, "/shop/");
                assertThat(page).contains("orders=6");
                assertThat(wildfly.output()).noneMatch(line -> line.contains("[bizmetrics] error"));
            }
        }
    }
}
