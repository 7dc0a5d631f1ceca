package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.HostShapes;
import dev.bizmetrics.agent.it.support.OrderDatabases;
import dev.bizmetrics.agent.it.support.PoolMatrix;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once the agent is up, no class-file transformer of its stays registered: every recognised pool is found through the
 * hook in {@code java.lang.ClassLoader}, woven as its class is defined and found when it is created. PoolsHost
 * creates its pools only when told, after the agent serves, so that no pool class is loaded while the transformer
 * is still there. Also with another agent that retransforms {@code java.lang.ClassLoader} in between, as APM agents
 * do, which must not drop the hook. Where the JVM maps classes from an archive (AppCDS, Java 25's AOT cache) they
 * are never defined, so the transformer stays: the pool is found, and the archive is still written with the agent.
 */
class DefinitionHookIT {

    private static final String HOOKED = "Pools are found as their classes are defined (a hook in java.lang.ClassLoader).";

    static Stream<Path> javas() {
        return Stream.of(HostProcess.JAVA_17, HostProcess.JAVA_25);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("javas")
    void poolsCreatedAfterTheAgentStartedAreFoundWhenCreated(Path java, @TempDir Path dir) throws Exception {
        verifyPoolsCreatedLater(java, List.of(), List.of(), dir);
    }

    @Test
    void anotherAgentRetransformingClassLoaderLeavesTheHookInPlace(@TempDir Path dir) throws Exception {
        String otherAgent = "-javaagent:" + TestHosts.DIR.resolve("test-hosts.jar").toAbsolutePath();
        verifyPoolsCreatedLater(HostProcess.JAVA_17, List.of(otherAgent), List.of("retransform"), dir);
    }

    @Test
    void aPoolClassMappedFromAnAppCdsArchiveIsFoundByTheTransformerThatStays(@TempDir Path dir) throws Exception {
        try (OrderDatabases databases = OrderDatabases.h2()) {
            ShopDatabase db = databases.create("appcds");
            OrderDatabases.fill(db, Map.of("NEW", 3, "PAID", 1));
            List<String> hostArgs = List.of("--user", "sa", "--password", "", "hikari=" + db.url());
            Path archive = dir.resolve("app.jsa");
            try (HostProcess training = TestHosts.start(HostProcess.JAVA_17,
                    List.of("-XX:ArchiveClassesAtExit=" + archive), "PoolsHost", training(hostArgs))) {
                assertThat(training.awaitExit(Duration.ofSeconds(60))).isZero();
            }
            assertThat(archive).isNotEmptyFile();

            Path config = HostShapes.config(dir, Map.of("main", "shop_orders"));
            List<String> createLater = new ArrayList<>(List.of("--await-input"));
            createLater.addAll(hostArgs);
            try (HostProcess host = TestHosts.start(HostProcess.JAVA_17, List.of("-XX:SharedArchiveFile=" + archive,
                    "-Xlog:class+load", HostProcess.agentFlag("config=" + config + ",http.port=0")), "PoolsHost",
                    createLater)) {
                int port = host.awaitMetricsPort();
                host.awaitLine(line -> line.contains("dev.bizmetrics.testhosts.PoolsHost source: shared objects file"),
                        Duration.ofSeconds(10));
                host.send("create"); // HikariCP's classes are in the archive: only the transformer sees them
                verifyFoundByTheTransformer(host, port, db, "-XX:SharedArchiveFile=" + archive);
            }
        }
    }

    @Test
    void aJava25AotCacheIsWrittenWithTheAgentAndThePoolFoundWhenItIsUsed(@TempDir Path dir) throws Exception {
        try (OrderDatabases databases = OrderDatabases.h2()) {
            ShopDatabase db = databases.create("aot");
            OrderDatabases.fill(db, Map.of("NEW", 2, "SHIPPED", 5));
            List<String> hostArgs = List.of("--user", "sa", "--password", "", "hikari=" + db.url());
            Path config = HostShapes.config(dir, Map.of("main", "shop_orders"));
            String agent = HostProcess.agentFlag("config=" + config + ",http.port=0");
            Path cache = dir.resolve("app.aot");
            try (HostProcess training = TestHosts.start(HostProcess.JAVA_25,
                    List.of("-XX:AOTCacheOutput=" + cache, agent), "PoolsHost", training(hostArgs))) {
                assertThat(training.awaitExit(Duration.ofSeconds(60))).isZero();
                training.awaitLine(line -> line.startsWith("[bizmetrics] info query shop_orders ran"),
                        Duration.ofSeconds(1));
                training.awaitLine(line -> line.startsWith("AOTCache creation is complete"), Duration.ofSeconds(1));
            }
            assertThat(cache).isNotEmptyFile();

            try (HostProcess host = TestHosts.start(HostProcess.JAVA_25, List.of("-XX:AOTCache=" + cache,
                    "-Xlog:class+load", agent), "PoolsHost", hostArgs)) {
                int port = host.awaitMetricsPort();
                host.awaitLine(line -> line.contains("dev.bizmetrics.testhosts.PoolsHost source: shared objects file"),
                        Duration.ofSeconds(10));
                verifyFoundByTheTransformer(host, port, db, "-XX:AOTCache=" + cache);
            }
        }
    }

    /** The training run of an archive: the same host, exiting by itself after a while, as the JVM writes at exit. */
    private static List<String> training(List<String> hostArgs) {
        List<String> args = new ArrayList<>(List.of("--exit-after", "3000"));
        args.addAll(hostArgs);
        return args;
    }

    private static void verifyFoundByTheTransformer(HostProcess host, int port, ShopDatabase db, String flag)
            throws Exception {
        Map<String, Double> scrape = HostShapes.until(host, port, HostShapes.matches("shop_orders", db));
        assertThat(Scrape.family(scrape, "bizmetrics_datasource_info")).containsEntry(
                HostShapes.info("com.zaxxer.hikari.HikariDataSource", "main", "hikari", db.url()), 1.0);
        assertThat(Scrape.text(port, "/")).contains("Pools are found by a class-file transformer that sees every class "
                + "loaded, as the JVM uses a class archive (" + flag + ").");
    }

    private static void verifyPoolsCreatedLater(Path java, List<String> otherJvmArgs, List<String> commandsFirst,
                                                Path dir) throws Exception {
        try (OrderDatabases databases = OrderDatabases.h2()) {
            PoolMatrix matrix = new PoolMatrix(databases);
            Path config = matrix.writeConfig(dir);
            List<String> jvmArgs = new ArrayList<>(List.of(HostProcess.agentFlag("config=" + config
                    + ",http.port=0")));
            jvmArgs.addAll(otherJvmArgs);
            try (HostProcess host = TestHosts.start(java, jvmArgs, "PoolsHost", matrix.hostArguments("--await-input"))) {
                int port = host.awaitMetricsPort();
                host.awaitLine(line -> line.equals("pools: waiting"), Duration.ofSeconds(10));
                assertThat(Scrape.text(port, "/")).contains(HOOKED);
                for (String command : commandsFirst) {
                    host.send(command);
                }
                if (commandsFirst.contains("retransform")) {
                    host.awaitLine(line -> line.equals("pools: the other agent retransformed java.lang.ClassLoader, "
                            + "seen 1 time(s)"), Duration.ofSeconds(10));
                }
                host.send("create");
                host.awaitLine(line -> line.startsWith("pools: created"), Duration.ofSeconds(30));
                matrix.verify(host, port);
            }
        }
    }
}
