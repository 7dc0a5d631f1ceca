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
 * {@code discovery.generic=true}: DataSource classes of the application's own, which no catalog knows, are found —
 * one implementing {@code javax.sql.DataSource} directly, one through its superclass, one through an interface of
 * the application's that extends it — and only with the setting on.
 */
class GenericDiscoveryIT {

    private static final String PKG = "dev.bizmetrics.testhosts.custom.";


    @Test
    void customDataSourcesAreFoundWithGenericDiscoveryAndOnlyWithIt(@TempDir Path dir) throws Exception {
        OrderDatabases databases = OrderDatabases.h2();
        ShopDatabase nightly = databases.create("nightly");
        OrderDatabases.fill(nightly, Map.of("NEW", 1, "PAID", 1));
        ShopDatabase apiOnly = databases.create("api_only");
        OrderDatabases.fill(apiOnly, Map.of("NEW", 2, "PAID", 2));
        ShopDatabase tiny = databases.create("tiny");
        OrderDatabases.fill(tiny, Map.of("NEW", 3, "PAID", 3));
        List<String> urls = List.of(nightly.url(), apiOnly.url(), tiny.url());
        Map<String, String> metrics = Map.of("nightly", "nightly_orders", "api", "api_orders", "tiny", "tiny_orders");
        String[] selectors = {"datasource.nightly.match=class:" + PKG + "NightlyPool",
            "datasource.api.match=class:" + PKG + "ApiOnlyPool", "datasource.tiny.match=class:" + PKG + "TinyPool"};

        Path on = HostShapes.config(dir, metrics, selectors);
        java.nio.file.Files.writeString(on, java.nio.file.Files.readString(on) + "discovery.generic=true\n");
        try (HostProcess host = TestHosts.start(HostProcess.JAVA_25, List.of(HostProcess.agentFlag("config=" + on
                + ",http.port=0")), "CustomPoolsHost", urls)) {
            int port = host.awaitMetricsPort();
            Map<String, Double> scrape = HostShapes.until(host, port, matches("nightly_orders", nightly)
                    .and(matches("api_orders", apiOnly)).and(matches("tiny_orders", tiny)));
            assertThat(family(scrape, "bizmetrics_datasource_info"))
                    .containsEntry(info(PKG + "NightlyPool", "nightly", "nightly", nightly.url()), 1.0)
                    .containsEntry(info(PKG + "ApiOnlyPool", "api", "api-only", apiOnly.url()), 1.0)
                    .containsEntry(info(PKG + "TinyPool", "tiny", "tiny", tiny.url()), 1.0);
            assertThat(host.output()).anyMatch(line -> line.startsWith("[bizmetrics] info generic discovery is on"));
        }

        Path off = HostShapes.config(dir, metrics, selectors);
        try (HostProcess host = TestHosts.start(HostProcess.JAVA_25, List.of(HostProcess.agentFlag("config=" + off
                + ",http.port=0")), "CustomPoolsHost", urls)) {
            host.awaitMetricsPort();
            host.awaitLine(line -> line.startsWith("custom: created"), Duration.ofSeconds(20));
            host.awaitLine(line -> line.startsWith("[bizmetrics] warn datasource tiny not bound: no DataSource seen "
                    + "matches datasource.tiny.match=class:" + PKG + "TinyPool"), Duration.ofSeconds(20));
        }
    }
}
