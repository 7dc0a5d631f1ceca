package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.OrderDatabases;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.TomcatServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Apache Tomcat 10.1 from Maven Central on real PostgreSQL, the agent given in {@code CATALINA_OPTS}, set up
 * as Tomcat is usually set up: a {@code <Resource>} in {@code conf/context.xml}, so that each web application (the
 * five default ones and the test's own {@code /shop}, a JSP that reads the orders through
 * {@code java:comp/env/jdbc/shop}) gets its own DBCP2 pool of one database. One server for the class, started once;
 * the tests run in order on it. ({@link TomcatGlobalResourceIT} has the {@code GlobalNamingResources} set-up.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TomcatIT {

    static final String BY_STATUS = "SELECT status, COUNT(*) AS n FROM orders GROUP BY status";
    static final String DBCP = "org.apache.tomcat.dbcp.dbcp2.BasicDataSource";

    @TempDir
    static Path dir;
    static OrderDatabases databases;
    static ShopDatabase shop;
    static TomcatServer server;
    static HostProcess tomcat;
    static int agentPort;

    @BeforeAll
    static void startTomcat() throws Exception {
        databases = OrderDatabases.postgres();
        shop = databases.create("tomcat");
        OrderDatabases.fill(shop, Map.of("NEW", 3, "PAID", 2, "SHIPPED", 1));
        server = new TomcatServer(dir);
        server.edit("conf/context.xml", "</Context>", "    " + TomcatServer.resource("jdbc/shop", shop)
                + "\n</Context>");
        server.deploy("shop", "jdbc/shop", null);
        Path config = dir.resolve("bizmetrics.properties");
        Files.writeString(config, String.join("\n",
                "http.port=0",
                "defaults.interval=1s",
                "datasource.main.match=auto",
                "datasource.byjndi.match=jndi:java:comp/env/jdbc/shop",
                "datasource.docs.match=context:/docs",
                metric("main"), metric("byjndi"), metric("docs"), ""));
        tomcat = server.start(config);
        agentPort = tomcat.awaitMetricsPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
        if (databases != null) {
            databases.close();
        }
    }

    @Test
    @Order(1)
    void everyWebApplicationsPoolIsDescribedWithItsContextAndTheUnusedOnesWaitForTheApplication() throws Exception {
        Map<String, Double> scrape = Scrape.until(agentPort, m -> family(m, "bizmetrics_datasource_info")
                .keySet().stream().filter(k -> k.contains("class=\"" + DBCP + "\"") && k.contains("context="))
                .count() == 6, Duration.ofSeconds(60));
        Map<String, Double> info = family(scrape, "bizmetrics_datasource_info");
        for (String path : List.of("/", "/docs", "/examples", "/host-manager", "/manager", "/shop")) {
            assertThat(info.keySet()).as(path).anyMatch(k -> k.contains("class=\"" + DBCP + "\"")
                    && k.contains("context=\"" + path + "\"") && k.contains("url=\"" + shop.url() + "\""));
        }
        assertThat(info.keySet().stream().filter(k -> k.contains("class=\"" + DBCP + "\"")))
                .as("the six pools, each in a series of its own").hasSize(6);
        for (String path : List.of("/", "/docs", "/shop")) {
            assertThat(info.keySet().stream().filter(k -> k.contains("context=\"" + path + "\"")))
                    .as("one series for the pool of " + path).hasSize(1);
        }
        // Unnamed, a pool's db_client_connection_pool_name is its application's context and where it connects (a
        // pool shows once started: the docs one, which the agent's context:/docs query uses).
        String where = shop.url().substring("jdbc:".length()).replaceAll("[?;].*", "");
        Map<String, Double> max = family(Scrape.until(agentPort, m -> family(m, "db_client_connection_max")
                .containsKey("{db_client_connection_pool_name=\"/docs " + where + "\"}"), Duration.ofSeconds(30)),
                "db_client_connection_max");
        assertThat(max.keySet()).allMatch(name -> name.matches("\\{db_client_connection_pool_name=\"/[a-z-]* "
                + java.util.regex.Pattern.quote(where) + "\"}"));
        // context:/docs picks the docs application's pool alone, unused by it: the agent's queries do not count.
        assertThat(family(Scrape.until(agentPort, m -> !family(m, "orders_docs").isEmpty(), Duration.ofSeconds(30)),
                "orders_docs")).isEqualTo(shop.byLabel("status", OrderDatabases.BY_STATUS));
        assertThat(info.keySet()).anyMatch(k -> k.contains("datasource=\"docs\"") && k.contains("context=\"/docs\""));
        scrape = Scrape.metrics(agentPort);
        assertThat(scrape).containsEntry("bizmetrics_datasource_bound{datasource=\"main\"}", 0.0)
                .containsEntry("bizmetrics_datasource_bound{datasource=\"byjndi\"}", 0.0);
        String waiting = tomcat.awaitLine(line -> line.contains("datasource main not bound: ")
                && line.contains("datasource.main.match=context:/shop (BasicDataSource@"), Duration.ofSeconds(10));
        assertThat(waiting).contains(" DataSources of the same database match datasource.main.match=auto and the "
                + "application has used none yet: the one it first asks for a connection is bound.");
    }

    @Test
    @Order(2)
    void onceTheApplicationUsesItsPoolAutoAndTheJndiNameBindItAndTheMetricEqualsSql() throws Exception {
        assertThat(server.get("/shop/")).contains("orders=6");
        Map<String, Double> scrape = Scrape.until(agentPort, m -> !family(m, "orders_main").isEmpty()
                && !family(m, "orders_byjndi").isEmpty(), Duration.ofSeconds(30));
        Map<String, Double> expected = shop.byLabel("status", OrderDatabases.BY_STATUS);
        assertThat(family(scrape, "orders_main")).isEqualTo(expected);
        assertThat(family(scrape, "orders_byjndi")).isEqualTo(expected);
        Map<String, Double> info = family(scrape, "bizmetrics_datasource_info");
        assertThat(info.keySet()).anyMatch(k -> k.contains("datasource=\"main\"") && k.contains("context=\"/shop\""));
        assertThat(info.keySet()).anyMatch(k -> k.contains("datasource=\"main\"") && k.contains("context=\"/shop\"")
                && k.contains("jndi=\"java:comp/env/jdbc/shop\""));
        assertThat(boundTo("byjndi")).as("the JNDI name, found in each application, binds the one used")
                .isEqualTo(boundTo("main"));
        assertThat(tomcat.output()).anyMatch(line -> line.contains("datasource main bound to BasicDataSource@")
                && line.contains("context /shop"));
    }

    @Test
    @Order(4)
    void bindingsStayWhileAnotherWebApplicationDeploysAndUsesItsPool() throws Exception {
        String bound = boundTo("main");
        String byJndi = boundTo("byjndi");
        server.deploy("late", "jdbc/shop", null);
        // Tomcat's deployer looks for new applications every 10 s; the page answers once it is deployed.
        assertThat(server.getUntil("/late/", "orders=", Duration.ofSeconds(60))).contains("orders=6");
        tomcat.awaitLine(line -> line.contains("datasource main stays bound to " + bound), Duration.ofSeconds(20));
        insertAndAwait();
        assertThat(boundTo("main")).isEqualTo(bound);
        assertThat(boundTo("byjndi")).isEqualTo(byJndi);
        assertThat(Scrape.metrics(agentPort)).containsEntry("bizmetrics_datasource_bound{datasource=\"main\"}", 1.0);
        assertThat(tomcat.output()).noneMatch(line -> line.startsWith("[bizmetrics] error"));
    }

    /** A new order shows in every bound name's metric: they all still run. */
    private static void insertAndAwait() throws Exception {
        shop.insertOrders(2, "RETURNED", "eu");
        Map<String, Double> scrape = Scrape.until(agentPort, m -> Stream.of("main", "byjndi", "docs")
                .allMatch(n -> family(m, "orders_" + n).containsKey("{status=\"RETURNED\"}")), Duration.ofSeconds(30));
        assertThat(family(scrape, "orders_main")).isEqualTo(shop.byLabel("status", OrderDatabases.BY_STATUS));
    }

    /** The id of the DataSource a name is bound to, from the log; fails if the name was ever bound to another. */
    private static String boundTo(String name) {
        List<String> ids = tomcat.output().stream().filter(l -> l.contains("datasource " + name + " bound to "))
                .map(l -> l.replaceAll(".*datasource " + name + " bound to (\\S+).*", "$1")).distinct().toList();
        assertThat(ids).as("DataSources " + name + " was bound to").hasSize(1);
        return ids.get(0);
    }

    private static String metric(String name) {
        return "metric.orders_" + name + ".sql=" + BY_STATUS + "\nmetric.orders_" + name + ".datasource=" + name;
    }
}
