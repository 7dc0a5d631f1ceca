package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.HostShapes;
import dev.bizmetrics.agent.it.support.OrderDatabases;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.bizmetrics.agent.it.support.HostShapes.info;
import static dev.bizmetrics.agent.it.support.HostShapes.matches;
import static dev.bizmetrics.agent.it.support.Scrape.family;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hosts shaped the ways applications are: no pool at all, a pool only used through wrappers, its own Prometheus
 * client and Byte Buddy, a web application that is undeployed, JDK tools. Each checks what the agent bound, with
 * which pool name, and a business metric against the database.
 */
class HostShapesIT {

    private static final String HIKARI = "com.zaxxer.hikari.HikariDataSource";

    private static final OrderDatabases databases = OrderDatabases.h2();

    private static ShopDatabase database(String key, int newOrders) throws SQLException {
        ShopDatabase db = databases.create(key);
        OrderDatabases.fill(db, Map.of("NEW", newOrders, "PAID", 2, "SHIPPED", 1));
        return db;
    }

    @Test
    void anApplicationWithoutAPoolIsServedThroughItsUnpooledDataSourceWhenTheConfigNamesIt(@TempDir Path dir)
            throws Exception {
        ShopDatabase db = database("nopool", 4);
        Path config = HostShapes.config(dir, Map.of("main", "shop_orders"),
                "datasource.main.match=class:org.h2.jdbcx.JdbcDataSource", "datasource.any.match=auto");
        try (HostProcess host = TestHosts.start(HostProcess.JAVA_17,
                List.of(HostProcess.agentFlag("config=" + config + ",http.port=0")), "NoPoolHost", List.of(db.url()))) {
            int port = host.awaitMetricsPort();
            Map<String, Double> scrape = HostShapes.until(host, port, matches("shop_orders", db));
            assertThat(family(scrape, "bizmetrics_datasource_info"))
                    .containsEntry(info("org.h2.jdbcx.JdbcDataSource", "main", "", db.url()), 1.0);
            assertThat(scrape).containsEntry("bizmetrics_datasource_bound{datasource=\"main\"}", 1.0)
                    .containsEntry("bizmetrics_datasource_bound{datasource=\"any\"}", 0.0);
        }
    }

    static Stream<Arguments> wrappers() {
        return Stream.of(Arguments.of("spring", HostProcess.JAVA_25), Arguments.of("proxy", HostProcess.JAVA_17));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("wrappers")
    void aPoolUsedOnlyThroughWrappersIsWhatAutoBinds(String wrapper, Path java, @TempDir Path dir) throws Exception {
        ShopDatabase db = database("wrapped_" + wrapper, 5);
        Path config = HostShapes.config(dir, Map.of("main", "shop_orders"));
        try (HostProcess host = TestHosts.start(java, List.of(HostProcess.agentFlag("config=" + config
                + ",http.port=0")), "WrappedHost", List.of(wrapper, db.url()))) {
            int port = host.awaitMetricsPort();
            host.awaitLine(line -> line.startsWith("wrapped: started with "
                    + (wrapper.equals("spring") ? "org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy"
                    : "jdk.proxy")), Duration.ofSeconds(30));
            Map<String, Double> scrape = HostShapes.until(host, port, matches("shop_orders", db));
            Map<String, Double> found = family(scrape, "bizmetrics_datasource_info");
            assertThat(found).containsEntry(info(HIKARI, "main", "wrapped", db.url()), 1.0);
            assertThat(found.keySet()).noneMatch(series -> series.contains("springframework") || series.contains("Proxy"));
        }
    }

    @Test
    void anApplicationWithItsOwnPrometheusClientAndByteBuddyKeepsBothWorking(@TempDir Path dir) throws Exception {
        ShopDatabase db = database("own_libs", 6);
        Path config = HostShapes.config(dir, Map.of("main", "shop_orders"));
        try (HostProcess host = TestHosts.start(HostProcess.JAVA_17, List.of(HostProcess.agentFlag("config=" + config
                + ",http.port=0")), "OwnLibrariesHost", List.of(db.url()))) {
            int port = host.awaitMetricsPort();
            String serving = host.awaitLine(line -> line.startsWith("own-libs: serving "), Duration.ofSeconds(30));
            int hostPort = Integer.parseInt(serving.substring("own-libs: serving ".length()));
            host.awaitLine(line -> line.equals("own-libs: byte-buddy says hello from the host's byte-buddy"),
                    Duration.ofSeconds(10));

            Map<String, Double> scrape = HostShapes.until(host, port, matches("shop_orders", db));
            assertThat(family(scrape, "bizmetrics_datasource_info")).containsEntry(info(HIKARI, "main", "own-libs",
                    db.url()), 1.0);
            assertThat(scrape.keySet()).noneMatch(series -> series.startsWith("host_requests"));

            String hostMetrics = hostScrape(hostPort);
            assertThat(hostMetrics).contains("host_requests_total{path=\"/orders\"}").doesNotContain("bizmetrics_");
            assertThat(host.output()).noneMatch(line -> line.contains("Exception") || line.contains("rror"));
        }
    }

    private static String hostScrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void aPoolOfAnUndeployedWebApplicationIsGarbageCollectedWhileTheAgentRuns(@TempDir Path dir) throws Exception {
        ShopDatabase db = database("webapp", 7);
        Path config = HostShapes.config(dir, Map.of("main", "shop_orders"));
        try (HostProcess host = TestHosts.start(HostProcess.JAVA_25, List.of(HostProcess.agentFlag("config=" + config
                + ",http.port=0")), "RedeployHost", List.of(db.url()))) {
            int port = host.awaitMetricsPort();
            host.awaitLine(line -> line.equals("redeploy: deployed"), Duration.ofSeconds(30));
            Map<String, Double> scrape = HostShapes.until(host, port, matches("shop_orders", db));
            assertThat(family(scrape, "bizmetrics_datasource_info"))
                    .containsEntry(info(HIKARI, "main", "webapp", db.url()), 1.0);

            host.send("undeploy");
            String outcome = host.awaitLine(line -> line.startsWith("redeploy: loader "), Duration.ofSeconds(60));
            assertThat(outcome).as(String.join("\n", host.output())).startsWith("redeploy: loader collected after");
            // The agent ran its query on the closed pool before the GC, and kept nothing of it.
            assertThat(host.output()).anyMatch(line -> line.startsWith("[bizmetrics] warn query shop_orders")
                    && line.contains("has been closed"));

            scrape = HostShapes.until(host, port, m -> Double.valueOf(0.0)
                    .equals(m.get("bizmetrics_datasource_bound{datasource=\"main\"}")));
            assertThat(family(scrape, "bizmetrics_datasource_info")).isEmpty();
            assertThat(scrape).containsEntry("bizmetrics_build_info{version=\"0.1.0-SNAPSHOT\"}", 1.0);
        }
    }

    @Test
    void jdkToolsAndTheAgentsOwnCommandsLeaveTheAgentOut(@TempDir Path dir) throws Exception {
        String options = HostProcess.agentFlag("config=" + HostShapes.config(dir, Map.of()) + ",http.port=0");
        for (List<String> command : List.of(
                List.of(HostProcess.JAVA_17.resolveSibling("jps").toString(), "-l"),
                List.of(HostProcess.JAVA_25.resolveSibling("jps").toString(), "-l"),
                List.of(HostProcess.JAVA_17.toString(), "-jar", HostProcess.AGENT_JAR.toString(), "list"))) {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("JAVA_TOOL_OPTIONS", options);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(command + ": " + output).isZero();
            assertThat(output).as(command.toString()).contains("Picked up JAVA_TOOL_OPTIONS");
            List<String> agentLines = output.lines().filter(line -> line.startsWith("[bizmetrics]"))
                    .map(line -> line.replaceFirst("^\\[bizmetrics\\] \\S+ ", "[bizmetrics] ")).toList();
            // jps worked (it lists itself, or the agent's list ran) and the agent wrote nothing into its output.
            assertThat(agentLines).as(command.toString()).isEmpty();
            if (!command.contains("list")) {
                assertThat(output).contains("jdk.jcmd/sun.tools.jps.Jps");
            }
        }
    }
}
