package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.CommandResult;
import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.OrderDatabases;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static dev.bizmetrics.agent.it.support.ShopDatabase.sorted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An attach into an application that is idle: its pool was made and used before, and nothing asks it for a
 * connection now. The attach command, the host's log and the status page all say that the agent waits for the
 * application's next database call; the first call binds the pool and the metric equals SQL.
 */
class IdleAttachIT {

    private static final String WAITS = "the agent waits for the application's next database call: pools created "
            + "before the attach are found on their next getConnection";

    @Test
    void theCliTheLogAndTheStatusPageSayTheAgentWaitsForTheNextDatabaseCall(@TempDir Path dir) throws Exception {
        try (OrderDatabases databases = OrderDatabases.h2()) {
            ShopDatabase db = databases.create("idle");
            OrderDatabases.fill(db, Map.of("NEW", 2, "SHIPPED", 3));
            Path config = dir.resolve("bizmetrics.properties");
            Files.writeString(config, "http.port=0\ndefaults.interval=1s\n"
                    + "metric.shop_orders.sql=SELECT status, COUNT(*) AS n FROM orders GROUP BY status\n");
            try (HostProcess host = TestHosts.start(HostProcess.JAVA_17, List.of(), "LateSchemaHost",
                    List.of(db.url(), db.user(), db.password()))) {
                host.awaitLine(line -> line.equals("late-schema: started"), Duration.ofSeconds(60));

                CommandResult attach = CommandResult.run("attach", String.valueOf(host.pid()), config.toString());
                assertThat(attach.exitCode()).as(attach.stderr()).isZero();
                assertThat(attach.stdout()).contains("Until a DataSource is seen, " + WAITS);

                int port = host.awaitMetricsPort();
                host.awaitLine(line -> line.equals("[bizmetrics] info no DataSource seen yet: " + WAITS),
                        Duration.ofSeconds(30));
                Map<String, Double> idle = Scrape.metrics(port);
                assertThat(idle).containsEntry("bizmetrics_datasource_bound{datasource=\"main\"}", 0.0);
                assertThat(family(idle, "shop_orders")).isEmpty();
                String page = Scrape.text(port, "/");
                assertThat(page).contains("<p class=\"muted\" id=\"none-seen\">None seen yet: the agent waits for the "
                        + "application&#39;s next database call.");

                host.send("use");
                Scrape.until(port, m -> {
                    try {
                        return sorted(family(m, "shop_orders")).equals(db.byLabel("status", OrderDatabases.BY_STATUS));
                    } catch (SQLException e) {
                        throw new AssertionError(e);
                    }
                }, Duration.ofSeconds(30));
                assertThat(Scrape.text(port, "/")).doesNotContain("None seen yet");
            }
        }
    }
}
