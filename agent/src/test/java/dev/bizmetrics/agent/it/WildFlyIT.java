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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real WildFly from Maven Central ({@code org.wildfly:wildfly-dist}, unpacked by the build) on real PostgreSQL: the
 * PostgreSQL driver deployed as a JDBC 4 driver, a datasource {@code ShopDS} in {@code standalone.xml} with its
 * statistics on (ExampleDS, the distribution's, has them off), and a web
 * application (JSPs) that reads the orders through {@code java:jboss/datasources/ShopDS} and holds two of its
 * connections for a while; the agent in {@code JAVA_OPTS} as the README says, a line added to {@code
 * standalone.conf} (a copy, given as {@code RUN_CONF}) and nothing else: JBoss Modules' system packages are the
 * distribution's, the agent adds its own. The server's own directory is a copy of {@code standalone/}; the ports are
 * offset at random.
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
            // The datasource in standalone.xml, next to ExampleDS, with its statistics on; its driver deployed.
            Path standaloneXml = base.resolve("configuration/standalone.xml");
            Files.writeString(standaloneXml, Files.readString(standaloneXml).replace("<drivers>",
                    "<datasource jndi-name=\"java:jboss/datasources/ShopDS\" pool-name=\"ShopDS\" "
                            + "statistics-enabled=\"true\">\n<connection-url>" + shop.url().replace("&", "&amp;")
                            + "</connection-url>\n<driver>" + driver.getFileName() + "</driver>\n"
                            + "<pool><min-pool-size>1</min-pool-size><max-pool-size>4</max-pool-size></pool>\n"
                            + "<security user-name=\"" + shop.user() + "\"/>\n</datasource>\n"
                            + "<drivers>"));
            Path war = deployments.resolve("shop.war");
            Files.createDirectories(war);
            Files.writeString(war.resolve("index.jsp"), Servers.ordersJsp("java:jboss/datasources/ShopDS"));
            Files.writeString(war.resolve("hold.jsp"), Servers.holdingJsp("java:jboss/datasources/ShopDS", 2,
                    HOLD.toMillis()));
            Files.writeString(deployments.resolve("shop.war.dodeploy"), "");
            Path config = dir.resolve("bizmetrics.properties");
            Files.writeString(config, String.join("\n", "http.port=0", "defaults.interval=1s",
                    "datasource.main.match=pool:ShopDS",
                    "metric.orders.sql=" + OrderDatabases.BY_STATUS.replace("COUNT(*)", "COUNT(*) AS n"), ""));
            int offset = ThreadLocalRandom.current().nextInt(20, 200) * 100;
            Path runConf = dir.resolve("standalone.conf");
            Files.writeString(runConf, Files.readString(dist.resolve("bin/standalone.conf"))
                    + "\nJAVA_OPTS=\"$JAVA_OPTS " + HostProcess.agentFlag("config=" + config) + "\"\n");
            try (HostProcess wildfly = HostProcess.startScript(dist, List.of("sh", "bin/standalone.sh",
                    "-Djboss.server.base.dir=" + base, "-Djboss.socket.binding.port-offset=" + offset), Map.of(
                    "RUN_CONF", runConf.toString(), "JAVA_OPTS", "", "JBOSS_MODULES_SYSTEM_PKGS", ""))) {
                int port = wildfly.awaitMetricsPort();
                wildfly.awaitLine(line -> line.contains("WFLYSRV0025") || line.contains("WFLYSRV0026"),
                        Duration.ofSeconds(180));
                Map<String, Double> scrape = Scrape.until(port, m -> !family(m, "orders").isEmpty() && used(m) >= 0,
                        Duration.ofSeconds(60));
                assertThat(family(scrape, "orders")).isEqualTo(shop.byLabel("status", OrderDatabases.BY_STATUS));
                assertThat(family(scrape, "bizmetrics_datasource_info").keySet()).anyMatch(k -> k.contains(
                        "class=\"org.jboss.jca.adapters.jdbc.WrapperDataSource\"") && k.contains("datasource=\"main\"")
                        && k.contains("pool=\"ShopDS\"") && k.contains("url=\"" + shop.url() + "\""));
                String page = Servers.get(8080 + offset, "/shop/");
                assertThat(page).contains("orders=6");

                // IronJacamar's statistics (statistics-enabled): the pool's sizes, and the two connections the
                // application holds (three while the agent runs a query).
                String pool = "{db_client_connection_pool_name=\"ShopDS\"}";
                assertThat(scrape).containsEntry("db_client_connection_max" + pool, 4.0)
                        .containsEntry("db_client_connection_idle_min" + pool, 1.0)
                        .containsEntry("db_client_connection_pending_requests" + pool, 0.0)
                        .containsEntry("db_client_connection_timeouts_total" + pool, 0.0);
                // Statistics off: the sizes, but neither counts nor waits, which IronJacamar then says are all 0.
                String example = "{db_client_connection_pool_name=\"ExampleDS\"";
                assertThat(scrape).containsEntry("db_client_connection_max" + example + "}", 20.0);
                assertThat(scrape.keySet()).noneMatch(k -> k.contains(example) && (k.startsWith(
                        "db_client_connection_count") || k.startsWith("db_client_connection_pending_requests")));
                CompletableFuture<String> holding = CompletableFuture.supplyAsync(
                        () -> Servers.get(8080 + offset, "/shop/hold.jsp"));
                Map<String, Double> held = Scrape.until(port, m -> used(m) >= 2, HOLD);
                assertThat(used(held)).as("used while the application holds two").isBetween(2.0, 3.0);
                assertThat(holding.get(60, TimeUnit.SECONDS)).contains("held=2");
                Map<String, Double> after = Scrape.until(port, m -> used(m) <= 1, Duration.ofSeconds(30));
                assertThat(used(after)).as("used once it let go").isLessThanOrEqualTo(1.0);
                assertThat(after.get("db_client_connection_count{db_client_connection_pool_name=\"ShopDS\","
                        + "db_client_connection_state=\"idle\"}")).as("idle once it let go").isGreaterThanOrEqualTo(1.0);
                assertThat(wildfly.output()).noneMatch(line -> line.contains("[bizmetrics] error"));
            }
        }
    }

    private static final Duration HOLD = Duration.ofSeconds(20);

    private static double used(Map<String, Double> scrape) {
        return scrape.getOrDefault("db_client_connection_count{db_client_connection_pool_name=\"ShopDS\","
                + "db_client_connection_state=\"used\"}", -1.0);
    }
}
