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

import static dev.bizmetrics.agent.it.support.HostShapes.matches;
import static dev.bizmetrics.agent.it.support.Scrape.family;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code match=jndi:}: a host with two pools publishes one of them in its own JNDI provider (set with
 * {@code -Djava.naming.factory.initial}), two seconds after it started and behind a JDK proxy and a Spring wrapper.
 * The agent keeps looking the name up until it resolves, and binds the pool inside.
 */
class JndiIT {


    @Test
    void aJndiNameBindsThePoolItResolvesToOnceItIsBound(@TempDir Path dir) throws Exception {
        OrderDatabases databases = OrderDatabases.h2();
        ShopDatabase orders = databases.create("orders");
        OrderDatabases.fill(orders, Map.of("NEW", 9));
        ShopDatabase billing = databases.create("billing");
        OrderDatabases.fill(billing, Map.of("NEW", 2, "PAID", 3));
        Path config = HostShapes.config(dir, Map.of("main", "billing_orders"),
                "datasource.main.match=jndi:java:comp/env/jdbc/billing",
                "datasource.guess.match=auto");
        try (HostProcess host = TestHosts.start(HostProcess.JAVA_17, List.of(
                "-Djava.naming.factory.initial=dev.bizmetrics.testhosts.jndi.MapContextFactory",
                HostProcess.agentFlag("config=" + config + ",http.port=0")), "JndiHost",
                List.of(orders.url(), billing.url()))) {
            int port = host.awaitMetricsPort();
            host.awaitLine(line -> line.startsWith("[bizmetrics] info datasource main not bound: jndi name "
                    + "java:comp/env/jdbc/billing not found yet: NameNotFoundException"), Duration.ofSeconds(20));
            host.awaitLine(line -> line.equals("jndi: bound java:comp/env/jdbc/billing"), Duration.ofSeconds(20));

            Map<String, Double> scrape = HostShapes.until(host, port, matches("billing_orders", billing));
            Map<String, Double> found = family(scrape, "bizmetrics_datasource_info");
            // Described with the name it was found under.
            assertThat(found).containsEntry("{class=\"com.zaxxer.hikari.HikariDataSource\",datasource=\"main\","
                    + "jndi=\"java:comp/env/jdbc/billing\",pool=\"billing\",url=\"" + billing.url() + "\"}", 1.0);
            assertThat(found.keySet()).noneMatch(series -> series.contains("springframework") || series.contains("Proxy"));
            assertThat(scrape).containsEntry("bizmetrics_datasource_bound{datasource=\"guess\"}", 0.0);
            assertThat(host.output()).anyMatch(line -> line.startsWith("[bizmetrics] info datasource main bound to "
                    + "HikariDataSource@") && line.contains("pool 'billing'"));
        }
    }
}
