package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.OrderDatabases;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Payara Server 6 from Maven Central ({@code fish.payara.distributions:payara}, unpacked by the build) on real
 * PostgreSQL: a copy of {@code domain1} with a JDBC connection pool {@code ShopPool} and its resource
 * {@code jdbc/shop} in {@code domain.xml}, the agent among its JVM options (what {@code asadmin create-jvm-options}
 * writes), its ports moved to free ones, and a WAR (a JSP that reads the orders through {@code jdbc/shop}) in
 * {@code autodeploy}.
 */
class PayaraIT {

    @Test
    void theJdbcPoolIsFoundNamedAndBoundAndItsMetricEqualsSql(@TempDir Path dir) throws Exception {
        Path dist = Servers.distribution("bizmetrics.payara.dir", "fish.payara.distributions:payara");
        try (OrderDatabases databases = OrderDatabases.postgres()) {
            ShopDatabase shop = databases.create("payara");
            OrderDatabases.fill(shop, Map.of("NEW", 2, "SHIPPED", 5));
            Path domains = dir.resolve("domains");
            Path domain = domains.resolve("domain1");
            Servers.copyTree(dist.resolve("glassfish/domains/domain1"), domain);
            Servers.copyPostgresDriver(domain.resolve("lib"));
            Path config = dir.resolve("bizmetrics.properties");
            Files.writeString(config, String.join("\n", "http.port=0", "defaults.interval=1s",
                    "datasource.main.match=pool:ShopPool",
                    "metric.orders.sql=" + OrderDatabases.BY_STATUS.replace("COUNT(*)", "COUNT(*) AS n"), ""));
            int http = Servers.freePort();
            Path xml = domain.resolve("config/domain.xml");
            String text = Files.readString(xml)
                    .replaceFirst("<jvm-options>-Xmx512m</jvm-options>", "<jvm-options>-Xmx512m</jvm-options>\n"
                            + "                <jvm-options>" + HostProcess.agentFlag("config=" + config)
                            + "</jvm-options>")
                    .replace("</resources>", "    <jdbc-connection-pool name=\"ShopPool\" datasource-classname="
                            + "\"org.postgresql.ds.PGSimpleDataSource\" res-type=\"javax.sql.DataSource\">\n"
                            + "            <property name=\"URL\" value=\"" + shop.url() + "\" />\n"
                            + "            <property name=\"User\" value=\"" + shop.user() + "\" />\n"
                            // GlassFish's way of writing an empty password (trust authentication here)
                            + "            <property name=\"Password\" value=\"()\" />\n"
                            + "        </jdbc-connection-pool>\n"
                            + "        <jdbc-resource pool-name=\"ShopPool\" jndi-name=\"jdbc/shop\" />\n"
                            + "    </resources>")
                    .replace("<resource-ref ref=\"jdbc/__default\" />",
                            "<resource-ref ref=\"jdbc/__default\" />\n            <resource-ref ref=\"jdbc/shop\" />")
                    .replace("port=\"8080\"", "port=\"" + http + "\"");
            for (String port : List.of("8181", "4848", "3700", "3820", "3920", "8686")) {
                text = text.replace("port=\"" + port + "\"", "port=\"" + Servers.freePort() + "\"");
            }
            text = text.replace("start-port=\"5900\" das-port=\"4900\"", "start-port=\"" + Servers.freePort()
                    + "\" das-port=\"" + Servers.freePort() + "\"").replace("name=\"JMS_PROVIDER_PORT\" value=\"7676\"",
                    "name=\"JMS_PROVIDER_PORT\" value=\"" + Servers.freePort() + "\"");
            Files.writeString(xml, text);
            Files.createDirectories(domain.resolve("autodeploy"));
            war(domain.resolve("autodeploy/shop.war"));
            List<String> asadmin = List.of("sh", dist.resolve("bin/asadmin").toString());
            Map<String, String> env = Map.of("AS_JAVA", System.getProperty("java.home"));
            try (HostProcess payara = HostProcess.startScript(dir, concat(asadmin, "start-domain", "--verbose",
                    "--domaindir", domains.toString(), "domain1"), env)) {
                try {
                    int port = payara.awaitMetricsPort();
                    assertThat(Servers.getUntil(http, "/shop/", "orders=", Duration.ofSeconds(180)))
                            .contains("orders=7");
                    Map<String, Double> scrape = Scrape.until(port, m -> !family(m, "orders").isEmpty(),
                            Duration.ofSeconds(60));
                    assertThat(family(scrape, "orders")).isEqualTo(shop.byLabel("status", OrderDatabases.BY_STATUS));
                    assertThat(family(scrape, "bizmetrics_datasource_info").keySet()).anyMatch(k -> k.contains(
                            "class=\"com.sun.gjc.spi.jdbc40.DataSource40\"") && k.contains("datasource=\"main\"")
                            && k.contains("pool=\"ShopPool\""));
                    assertThat(payara.output()).noneMatch(line -> line.contains("[bizmetrics] error")
                            || line.contains("stays bound"));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nPayara's output:\n"
                            + String.join("\n", payara.output()), e);
                } finally {
                    HostProcess stop = HostProcess.startScript(dir, concat(asadmin, "stop-domain", "--domaindir",
                            domains.toString(), "domain1"), env);
                    stop.awaitExit(Duration.ofSeconds(120));
                }
            }
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** The test's WAR: one JSP that counts the orders through the server's {@code jdbc/shop}. */
    private static void war(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("index.jsp"));
            zip.write(Servers.ordersJsp("jdbc/shop").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }
}
