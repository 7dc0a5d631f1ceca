package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.CommandResult;
import dev.bizmetrics.agent.it.support.CompatibilityReport;
import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.OrderDatabases;
import dev.bizmetrics.agent.it.support.PoolMatrix;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.TestHosts;
import org.junit.jupiter.api.AfterAll;
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
 * {@code java -jar bizmetrics-agent.jar attach <pid> ...} on hosts started without the agent, whose pools have
 * been serving connections: every recognised pool is found on its next {@code getConnection}, bound and queried.
 * Also {@code list}, and the Java 21+ warning about dynamically loaded agents.
 */
class AttachIT {

    private static final String DYNAMIC_LOADING_WARNING = "WARNING: A Java agent has been loaded dynamically";

    @AfterAll
    static void writeReport() throws java.io.IOException {
        CompatibilityReport.write();
    }

    @Test
    void everyPoolOfARunningJava17HostIsFoundAfterAttach(@TempDir Path dir) throws Exception {
        try (OrderDatabases databases = OrderDatabases.h2()) {
            PoolMatrix matrix = new PoolMatrix(databases);
            try (HostProcess host = TestHosts.start(HostProcess.JAVA_17, List.of(), "PoolsHost",
                    matrix.hostArguments("--use-every", "300"))) {
                host.awaitLine(line -> line.equals("pools: used"), Duration.ofSeconds(60));

                CommandResult list = CommandResult.run("list");
                assertThat(list.exitCode()).isZero();
                assertThat(list.stdout()).contains(host.pid() + " dev.bizmetrics.testhosts.PoolsHost");

                CommandResult attach = CommandResult.run("attach", String.valueOf(host.pid()),
                        "config=" + matrix.writeConfig(dir) + ",http.port=0");
                assertThat(attach.exitCode()).as(attach.stderr()).isZero();
                assertThat(attach.stdout()).startsWith("bizmetrics loaded into JVM " + host.pid());

                matrix.verify(host, host.awaitMetricsPort());
                assertThat(host.output()).noneMatch(line -> line.contains(DYNAMIC_LOADING_WARNING));
                CompatibilityReport.verified("attach, Java 17 H2");
            }
        }
    }

    @Test
    void everyPoolOfARunningJava25HostOnPostgresqlIsFoundAfterAttachAndTheJvmWarns(@TempDir Path dir)
            throws Exception {
        try (OrderDatabases databases = OrderDatabases.postgres()) {
            PoolMatrix matrix = new PoolMatrix(databases);
            try (HostProcess host = TestHosts.start(HostProcess.JAVA_25, List.of(), "PoolsHost",
                    matrix.hostArguments("--use-every", "300"))) {
                host.awaitLine(line -> line.equals("pools: used"), Duration.ofSeconds(60));
                Path config = matrix.writeConfig(dir);
                Files.writeString(config, Files.readString(config) + "http.port=0\n");
                // A relative path: the command makes it absolute, since the host has its own working directory.
                String relative = Path.of("").toAbsolutePath().relativize(config).toString();
                CommandResult attach = CommandResult.run("attach", String.valueOf(host.pid()), relative);
                assertThat(attach.exitCode()).as(attach.stderr()).isZero();
                assertThat(attach.stdout()).startsWith("bizmetrics loaded into JVM " + host.pid() + " with " + config);

                matrix.verify(host, host.awaitMetricsPort());
                assertThat(host.output()).anyMatch(line -> line.contains(DYNAMIC_LOADING_WARNING));
                CompatibilityReport.verified("attach, Java 25 PostgreSQL");
            }
        }
    }

    @Test
    void onJava25EnableDynamicAgentLoadingSilencesTheWarning(@TempDir Path dir) throws Exception {
        try (OrderDatabases databases = OrderDatabases.h2()) {
            ShopDatabase db = databases.create("hikari");
            OrderDatabases.fill(db, Map.of("NEW", 3, "PAID", 2));
            Path config = dir.resolve("bizmetrics.properties");
            Files.writeString(config, "defaults.interval=1s\n"
                    + "metric.shop_orders.sql=SELECT status, COUNT(*) AS n FROM orders GROUP BY status\n");
            try (HostProcess host = TestHosts.start(HostProcess.JAVA_25, List.of("-XX:+EnableDynamicAgentLoading"),
                    "PoolsHost", List.of("--use-every", "300", "hikari=" + db.url()))) {
                host.awaitLine(line -> line.equals("pools: used"), Duration.ofSeconds(30));
                CommandResult attach = CommandResult.run("attach", String.valueOf(host.pid()),
                        "config=" + config + ",http.port=0");
                assertThat(attach.exitCode()).as(attach.stderr()).isZero();
                int port = host.awaitMetricsPort();
                Map<String, Double> scrape = Scrape.until(port, m -> {
                    try {
                        return sorted(family(m, "shop_orders")).equals(db.byLabel("status", OrderDatabases.BY_STATUS));
                    } catch (SQLException e) {
                        throw new AssertionError(e);
                    }
                }, Duration.ofSeconds(30));
                assertThat(family(scrape, "bizmetrics_datasource_info")).containsEntry("{class=\"com.zaxxer.hikari."
                        + "HikariDataSource\",datasource=\"main\",pool=\"hikari\",url=\"" + db.url() + "\"}", 1.0);
                assertThat(host.output()).noneMatch(line -> line.contains(DYNAMIC_LOADING_WARNING));
            }
        }
    }
}
