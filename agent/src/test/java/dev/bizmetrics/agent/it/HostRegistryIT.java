package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.HostShapes;
import dev.bizmetrics.agent.it.support.OrderDatabases;
import dev.bizmetrics.agent.it.support.Promtool;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.TestHosts;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code export.host-registry=auto}: the agent's metrics on the endpoint the application already serves, in real
 * applications on PostgreSQL: Spring Boot 3.5 (Micrometer on client_java 1.x) and 2.7 (Micrometer on the
 * simpleclient) with Actuator's {@code /actuator/prometheus}, and plain applications serving client_java 1.x's and
 * the simpleclient's default registry with their own HTTP servers.
 */
class HostRegistryIT {

    private static final String ACTUATOR = "/actuator/prometheus";
    /** The business metrics of {@link #config}: one of each kind the agent builds. */
    private static final List<String> BUSINESS = List.of("shop_orders", "shop_orders_seen_total", "shop_region_info",
            "shop_amount", "shop_amount_q");

    /**
     * With the agent's own port open as well, the application's endpoint has every series of the agent's own
     * {@code /metrics} with the same value, and every family the same help and type.
     */
    @ParameterizedTest
    @ValueSource(strings = {"boot35", "boot27"})
    void actuatorServesWhatTheAgentServes(String boot, @TempDir Path dir) throws Exception {
        try (OrderDatabases databases = OrderDatabases.postgres()) {
            ShopDatabase db = databases.create("hr" + boot);
            OrderDatabases.fill(db, Map.of("NEW", 4, "PAID", 6));
            Path config = config(dir, "1h");
            try (HostProcess host = startBoot(boot, config, "http.port=0", db)) {
                int port = host.awaitMetricsPort();
                int actuator = actuatorPort(host);
                Scrape.until(actuator, ACTUATOR, HostShapes.matches("shop_orders", db), Duration.ofSeconds(40));
                assertSameAsTheAgents(port, actuator, ACTUATOR);
                // Two registries, each published into: Micrometer's, and the client's default one (which the
                // client's own classes create; nobody serves it here, so it shows nothing).
                assertThat(Scrape.metrics(actuator, ACTUATOR))
                        .containsEntry("bizmetrics_host_registries{kind=\"" + (boot.equals("boot35") ? "micrometer"
                                : "micrometer-simpleclient") + "\"}", 1.0)
                        .containsEntry("bizmetrics_host_registries{kind=\"" + (boot.equals("boot35")
                                ? "client_java-default" : "simpleclient-default") + "\"}", 1.0);
            }
        }
    }

    /**
     * With {@code http.port=off}: no port of the agent's; Actuator has the business metrics equal to SQL and the
     * self-metrics, Micrometer's {@code jvm_*} and {@code hikaricp_*} intact (an agent metric named like one of them
     * left out and reported), promtool finds nothing of the agent's;
     * a reload adding a metric shows it there, and a query that fails loses its series there.
     */
    @ParameterizedTest
    @ValueSource(strings = {"boot35", "boot27"})
    void actuatorAloneWithPortOff(String boot, @TempDir Path dir) throws Exception {
        try (OrderDatabases databases = OrderDatabases.postgres()) {
            ShopDatabase db = databases.create("hroff" + boot);
            OrderDatabases.fill(db, Map.of("NEW", 3, "PAID", 1));
            // Named like one of Micrometer's meters: left out of Actuator's registry, whose scrape stays whole.
            Path config = config(dir, "1s", "metric.hikaricp_connections_max.sql=SELECT 99 AS n");
            try (HostProcess host = startBoot(boot, config, "http.port=off", db)) {
                int actuator = actuatorPort(host);
                Map<String, Double> scrape = Scrape.until(actuator, ACTUATOR, HostShapes.matches("shop_orders", db)
                        .and(m -> m.containsKey("bizmetrics_host_registry_skipped{metric=\"hikaricp_connections_max\"}")),
                        Duration.ofSeconds(40));
                assertThat(scrape).containsEntry("bizmetrics_query_success{query=\"shop_orders\"}", 1.0)
                        .containsEntry("bizmetrics_datasource_bound{datasource=\"main\"}", 1.0)
                        .containsEntry("bizmetrics_config_last_reload_success", 1.0)
                        .containsEntry("hikaricp_connections_max{pool=\"boot-shop\"}", 3.0)
                        .doesNotContainKey("hikaricp_connections_max")
                        .containsEntry("shop_orders_seen_total", (double) db.count("SELECT COUNT(*) FROM orders"));
                assertThat(scrape.keySet()).anyMatch(series -> series.startsWith("jvm_memory_used_bytes{"));
                assertThat(host.output()).anyMatch(line -> line.contains("http.port=off: the agent opens no port"))
                        .noneMatch(line -> line.contains("[bizmetrics] info serving"));
                assertThat(listeningPorts(host.pid())).containsExactly(actuator);
                String text = Scrape.text(actuator, ACTUATOR);
                Set<String> ours = exposition(text).types.keySet().stream()
                        .filter(name -> name.startsWith("bizmetrics_") || name.startsWith("shop_")
                                || name.startsWith("db_client_")).collect(java.util.stream.Collectors.toSet());
                assertThat(Promtool.lints(text)).noneMatch(lint -> ours.contains(lint.split(" ")[0]));

                Files.writeString(config, Files.readString(config)
                        + "metric.shop_paid.sql=SELECT COUNT(*) AS n FROM orders WHERE status = 'PAID'\n");
                Scrape.until(actuator, ACTUATOR, m -> Double.valueOf(1.0).equals(m.get("shop_paid")),
                        Duration.ofSeconds(30));

                db.execute("DROP TABLE orders");
                Map<String, Double> failed = Scrape.until(actuator, ACTUATOR,
                        m -> family(m, "shop_orders").isEmpty() && !m.containsKey("shop_paid"), Duration.ofSeconds(30));
                assertThat(failed).containsEntry("bizmetrics_query_success{query=\"shop_orders\"}", 0.0)
                        .containsKey("hikaricp_connections_max{pool=\"boot-shop\"}");
            }
        }
    }

    /**
     * A plain application serving its client's default registry with its own HTTP server: the agent's metrics are
     * there as on the agent's port; the agent's metric named like the application's own counter is left out there
     * and reported, and the application's counter and scrape stay intact.
     */
    @ParameterizedTest
    @ValueSource(strings = {"OwnLibrariesHost", "SimpleclientHost"})
    void aPlainApplicationsDefaultRegistry(String main, @TempDir Path dir) throws Exception {
        try (OrderDatabases databases = OrderDatabases.postgres()) {
            ShopDatabase db = databases.create("hr" + main.toLowerCase());
            OrderDatabases.fill(db, Map.of("NEW", 2, "PAID", 5));
            Path config = config(dir, "1h", "metric.host_requests.sql=SELECT COUNT(*) AS n FROM orders",
                    "metric.host_requests.type=counter");
            try (HostProcess host = TestHosts.start(HostProcess.JAVA_17,
                    List.of(HostProcess.agentFlag("config=" + config + ",http.port=0")), main, List.of(db.url(), "postgres"))) {
                int port = host.awaitMetricsPort();
                String serving = host.awaitLine(line -> line.matches("[a-z-]+: serving \\d+"), Duration.ofSeconds(20));
                int own = Integer.parseInt(serving.replaceAll(".* ", ""));
                Map<String, Double> scrape = Scrape.until(own, "/metrics", HostShapes.matches("shop_orders", db)
                        .and(m -> m.containsKey("bizmetrics_host_registry_skipped{metric=\"host_requests\"}")),
                        Duration.ofSeconds(40));
                assertThat(scrape).containsKey("host_requests_total{path=\"/orders\"}")
                        .doesNotContainKey("host_requests_total")
                        .containsEntry("bizmetrics_host_registries{kind=\"" + (main.equals("OwnLibrariesHost")
                                ? "client_java-default" : "simpleclient-default") + "\"}", 1.0);
                assertThat(Scrape.metrics(port)).containsEntry("host_requests_total", 7.0)
                        .containsEntry("bizmetrics_host_registry_skipped{metric=\"host_requests\"}", 1.0);
                assertThat(host.output()).anyMatch(line -> line.contains("has a metric named host_requests already"));
                // The status page says where the metrics go and which one was left out, at the top too.
                String page = Scrape.text(port, "/");
                assertThat(page).contains("export.host-registry=auto: published into 1 " + (main.equals("OwnLibrariesHost")
                        ? "client_java-default" : "simpleclient-default"))
                        .contains("<li data-metric=\"host_requests\"><b>metric host_requests</b>");
                assertThat(page.substring(page.indexOf("id=\"export-skipped\""))).contains("host_requests</span>");
                assertSameAsTheAgents(port, own, "/metrics");
                assertThat(Promtool.checkMetrics(Scrape.text(own, "/metrics"))).isEqualTo("");

                Files.writeString(config, Files.readString(config).replace("export.host-registry=auto",
                        "export.host-registry=off"));
                Scrape.until(own, "/metrics", m -> m.keySet().stream().noneMatch(series -> series.startsWith("shop_")
                        || series.startsWith("bizmetrics_")) && m.containsKey("host_requests_total{path=\"/orders\"}"),
                        Duration.ofSeconds(30));
                assertThat(Scrape.metrics(port)).containsKey("shop_orders{status=\"NEW\"}")
                        .doesNotContainKey("bizmetrics_host_registries{kind=\"client_java-default\"}");
            }
        }
    }

    /** A registry the application creates only after the agent's first results gets the metrics from then on. */
    @org.junit.jupiter.api.Test
    void aRegistryCreatedAfterTheFirstResults(@TempDir Path dir) throws Exception {
        try (OrderDatabases databases = OrderDatabases.postgres()) {
            ShopDatabase db = databases.create("hrlate");
            OrderDatabases.fill(db, Map.of("NEW", 1, "PAID", 2));
            Path config = config(dir, "1h");
            try (HostProcess host = TestHosts.start(HostProcess.JAVA_17,
                    List.of(HostProcess.agentFlag("config=" + config + ",http.port=0")), "LateRegistryHost",
                    List.of(db.url(), "postgres"))) {
                int port = host.awaitMetricsPort();
                Map<String, Double> first = Scrape.until(port, HostShapes.matches("shop_orders", db)
                        .and(m -> m.containsKey("bizmetrics_host_registries{kind=\"client_java-default\"}")),
                        Duration.ofSeconds(40));
                assertThat(first).containsEntry("bizmetrics_host_registries{kind=\"client_java-default\"}", 0.0);

                host.send("serve");
                String serving = host.awaitLine(line -> line.startsWith("late: serving "), Duration.ofSeconds(20));
                int own = Integer.parseInt(serving.substring("late: serving ".length()));
                Map<String, Double> late = Scrape.until(own, "/metrics", HostShapes.matches("shop_orders", db),
                        Duration.ofSeconds(20));
                assertThat(late).containsEntry("late_requests_total", 1.0)
                        .containsEntry("bizmetrics_host_registries{kind=\"client_java-default\"}", 1.0);
            }
        }
    }

    /**
     * Every series of the agent's {@code /metrics} but those left out for a clash is on the application's endpoint
     * with the same value, once the agent's stays the same over a scrape of both (its values change as pools are
     * sampled); every family has the same help and type there.
     */
    private static void assertSameAsTheAgents(int agentPort, int hostPort, String hostPath) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String mismatch = "";
        while (System.nanoTime() < deadline) {
            Exposition before = exposition(Scrape.text(agentPort, "/metrics"));
            Exposition host = exposition(Scrape.text(hostPort, hostPath));
            Exposition after = exposition(Scrape.text(agentPort, "/metrics"));
            Set<String> skipped = new HashSet<>();
            family(after.series, "bizmetrics_host_registry_skipped").keySet()
                    .forEach(labels -> skipped.add(labels.replaceAll("\\{metric=\"(.*)\"}", "$1")));
            if (before.series.equals(after.series)) {
                Map<String, Double> expected = new TreeMap<>();
                Map<String, Double> actual = new TreeMap<>();
                after.series.forEach((series, value) -> {
                    if (!skipped.contains(baseOf(series))) {
                        expected.put(series, value);
                        actual.put(series, host.series.get(series));
                    }
                });
                Map<String, String> expectedMeta = new TreeMap<>();
                Map<String, String> actualMeta = new TreeMap<>();
                after.types.forEach((name, type) -> {
                    if (!skipped.contains(baseOf(name))) {
                        expectedMeta.put(name, type + " " + after.helps.get(name));
                        actualMeta.put(name, host.types.get(name) + " " + host.helps.get(name));
                    }
                });
                if (expected.equals(actual) && expectedMeta.equals(actualMeta)) {
                    assertThat(expected.keySet()).anyMatch(series -> series.startsWith("shop_amount_bucket{"))
                            .anyMatch(series -> series.startsWith("shop_amount_q{"))
                            .anyMatch(series -> series.startsWith("shop_region_info{"))
                            .contains("shop_orders_seen_total");
                    return;
                }
                mismatch = "expected " + expected + "\nactual " + actual + "\nexpected meta " + expectedMeta
                        + "\nactual meta " + actualMeta;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the application's endpoint never matched the agent's: " + mismatch);
    }

    /** The name of a series without labels and without what the formats add to a family's name. */
    private static String baseOf(String series) {
        String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        return name.replaceAll("_(total|info)$", "");
    }

    private static HostProcess startBoot(String boot, Path config, String port, ShopDatabase db) throws IOException {
        return HostProcess.start(HostProcess.JAVA_17,
                List.of(HostProcess.agentFlag("config=" + config + "," + port)),
                boot.equals("boot35") ? TestHosts.BOOT_JAR : TestHosts.BOOT27_JAR,
                List.of("--spring.datasource.url=" + db.url(), "--spring.datasource.username=postgres"), Map.of());
    }

    private static int actuatorPort(HostProcess host) throws InterruptedException {
        String started = host.awaitLine(line -> line.contains("Tomcat started on port"), Duration.ofSeconds(90));
        return Integer.parseInt(started.replaceAll(".*Tomcat started on port\\(?s?\\)?:? (\\d+).*", "$1"));
    }

    /** One business metric of each kind, every query at {@code interval} but the orders by status (1 s). */
    private static Path config(Path dir, String interval, String... lines) throws IOException {
        StringBuilder text = new StringBuilder("export.host-registry=auto\ndefaults.interval=" + interval + "\n");
        text.append("""
                metric.shop_orders.sql=SELECT status, COUNT(*) AS n FROM orders GROUP BY status
                metric.shop_orders.interval=1s
                metric.shop_orders_seen.sql=SELECT COUNT(*) AS n FROM orders
                metric.shop_orders_seen.type=counter
                metric.shop_orders_seen.help=Orders seen
                metric.shop_region.sql=SELECT DISTINCT region FROM orders
                metric.shop_region.type=info
                metric.shop_amount.sql=SELECT status, amount FROM orders
                metric.shop_amount.type=histogram
                metric.shop_amount.value=amount
                metric.shop_amount.buckets=10,50,100
                metric.shop_amount_q.sql=SELECT 0.5 AS q, percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS v, \
                SUM(amount) AS s, COUNT(*) AS c FROM orders
                metric.shop_amount_q.type=summary
                metric.shop_amount_q.quantile=q
                metric.shop_amount_q.value=v
                metric.shop_amount_q.sum=s
                metric.shop_amount_q.count=c
                """);
        for (String line : lines) {
            text.append(line).append('\n');
        }
        Path config = dir.resolve("bizmetrics.properties");
        Files.writeString(config, text);
        return config;
    }

    /** Series → value, and family name → type and help, from the text format. */
    private record Exposition(Map<String, Double> series, Map<String, String> types, Map<String, String> helps) {
    }

    private static final Pattern META = Pattern.compile("# (TYPE|HELP) (\\S+) ?(.*)");

    private static Exposition exposition(String text) {
        Map<String, Double> series = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher meta = META.matcher(line);
            if (meta.matches()) {
                (meta.group(1).equals("TYPE") ? types : helps).put(meta.group(2), meta.group(3));
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                line = line.replace(",}", "}"); // the simpleclient ends its labels with a comma
                String[] parts = line.substring(line.lastIndexOf('}') + 1).trim().split(" ");
                String name = line.contains("}") ? line.substring(0, line.lastIndexOf('}') + 1)
                        : line.substring(0, line.indexOf(' '));
                String value = line.contains("}") ? parts[0] : line.split(" ")[1];
                series.put(name, value.equals("+Inf") ? Double.POSITIVE_INFINITY : value.equals("-Inf")
                        ? Double.NEGATIVE_INFINITY : Double.parseDouble(value));
            }
        }
        return new Exposition(series, types, helps);
    }

    /** The TCP ports the process listens on: its socket inodes in /proc/PID/fd, looked up in its net/tcp{,6}. */
    static Set<Integer> listeningPorts(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc/" + pid + "/net/" + table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) { // one read: the table changes as sockets come and go
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A") && inodes.contains(fields[9])) { // 0A: LISTEN
                    ports.add(Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

}
