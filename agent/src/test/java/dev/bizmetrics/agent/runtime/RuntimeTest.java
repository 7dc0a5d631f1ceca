package dev.bizmetrics.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bizmetrics.agent.config.QuerySpec;
import dev.bizmetrics.agent.engine.Outcome;
import dev.bizmetrics.agent.state.AgentSnapshot;
import dev.bizmetrics.agent.state.QueryState;
import dev.bizmetrics.agent.testing.Configs;
import dev.bizmetrics.bootstrap.DataSourceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime in-process on an embedded H2 pool, as the hooks would report it: start, runs, a reload that keeps,
 * changes and adds queries, an invalid reload, and a run that cannot store into a spec a reload replaced. Needs no
 * database server.
 */
class RuntimeTest {

    @TempDir
    Path dir;

    private static final java.util.concurrent.atomic.AtomicInteger POOLS = new java.util.concurrent.atomic.AtomicInteger();

    /** A name of its own per test: the registry is the JVM's, and a closed pool stays in it until collected. */
    private final String poolName = "runtime-test-" + POOLS.incrementAndGet();
    private HikariDataSource pool;
    private Runtime runtime;
    private Path file;

    @BeforeEach
    void pool() throws Exception {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(poolName);
        hikari.setJdbcUrl("jdbc:h2:mem:runtime_test;DB_CLOSE_DELAY=-1");
        hikari.setMaximumPoolSize(3);
        pool = new HikariDataSource(hikari);
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS items (id INT)");
            st.execute("DELETE FROM items");
            st.execute("INSERT INTO items VALUES (1), (2), (3)");
        }
        DataSourceRegistry.created(pool);
        DataSourceRegistry.used(pool);
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
        pool.close();
    }

    private void start(String queries) throws Exception {
        file = Configs.write(dir, header()
                + queries);
        runtime = new Runtime(Configs.source(file), "test", "in a test");
        runtime.start();
    }

    private String header() {
        return "http.port=0\nhttp.host=127.0.0.1\ndatasource.main.match=pool:" + poolName + "\n";
    }

    private QueryState state(String query) {
        return runtime.snapshot().queries().get(query);
    }

    private long successes(String query) {
        QueryState state = state(query);
        return state == null ? 0 : state.runs(Outcome.SUCCESS);
    }

    /** The registry's news wakes discovery: the binding does not wait for the control thread's next tick. */
    @Test
    void aPoolCreatedAfterTheStartIsBoundAtOnceRatherThanAtTheNextTick() throws Exception {
        String late = poolName + "-late";
        file = Configs.write(dir, "http.port=0\nhttp.host=127.0.0.1\ndatasource.main.match=pool:" + late + "\n"
                + "metric.n.sql=SELECT COUNT(*) AS n FROM items\n");
        runtime = new Runtime(Configs.source(file), "test", "in a test");
        runtime.start();
        assertThat(runtime.snapshot().discovery().bindings().get("main").isBound()).isFalse();
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(late);
        hikari.setJdbcUrl("jdbc:h2:mem:runtime_test;DB_CLOSE_DELAY=-1");
        hikari.setMaximumPoolSize(2);
        try (HikariDataSource latePool = new HikariDataSource(hikari)) {
            DataSourceRegistry.created(latePool);
            FleetRuntimeIT.await("the binding", Duration.ofMillis(Runtime.TICK_MILLIS / 2),
                    () -> runtime.snapshot().discovery().bindings().get("main").isBound());
            assertThat(runtime.snapshot().discovery().bindings().get("main").bound().instance()).isSameAs(latePool);
            FleetRuntimeIT.await("the first run", Duration.ofSeconds(10), () -> successes("n") >= 1);
        }
    }

    @Test
    void aReloadKeepsAnUnchangedQueryRestartsAChangedOneAndAddsANewOne() throws Exception {
        start("metric.kept.sql=SELECT COUNT(*) AS n FROM items\nmetric.kept.interval=200ms\n"
                + "metric.changed.sql=SELECT 1 AS n\nmetric.changed.interval=200ms\n");
        FleetRuntimeIT.await("both queries run", Duration.ofSeconds(10),
                () -> successes("kept") >= 2 && successes("changed") >= 1);
        QuerySpec keptBefore = state("kept").spec();
        long keptRuns = successes("kept");

        Files.writeString(file, header()
                + "metric.kept.sql=SELECT COUNT(*) AS n FROM items\nmetric.kept.interval=200ms\n"
                + "metric.changed.sql=SELECT 2 AS n\nmetric.changed.interval=200ms\n"
                + "metric.added.sql=SELECT 3 AS n\n");
        assertThat(runtime.reload().applied()).isTrue();

        assertThat(state("kept").spec()).as("the same spec, its schedule and counts kept").isSameAs(keptBefore);
        assertThat(successes("kept")).isGreaterThanOrEqualTo(keptRuns);
        assertThat(state("changed").spec().sql()).isEqualTo("SELECT 2 AS n");
        FleetRuntimeIT.await("the changed and the added query run", Duration.ofSeconds(10),
                () -> successes("changed") >= 1 && successes("added") >= 1);
        assertThat(state("changed").last().rows()).isEqualTo(1);
    }

    @Test
    void anInvalidReloadKeepsTheRunningConfigurationAndSaysWhy() throws Exception {
        start("metric.n.sql=SELECT 1 AS n\n");
        FleetRuntimeIT.await("the first run", Duration.ofSeconds(10), () -> successes("n") >= 1);
        Files.writeString(file, header() + "metric.n.sql=SELECT 1 AS n\nmetric.n.lables=x\n");
        assertThat(runtime.reload().lines()).anyMatch(line -> line.contains("did you mean metric.n.labels?"));
        AgentSnapshot snapshot = runtime.snapshot();
        assertThat(snapshot.lastLoad().isValid()).isFalse();
        assertThat(snapshot.running().queries()).extracting(QuerySpec::id).containsExactly("n");
        assertThat(snapshot.queries()).containsKey("n");
    }

    @Test
    void aRunOfAReplacedSpecStoresNothing() throws Exception {
        start("metric.n.sql=SELECT 1 AS n\nmetric.n.interval=1h\n");
        FleetRuntimeIT.await("the first run", Duration.ofSeconds(10), () -> successes("n") >= 1);
        AgentSnapshot before = runtime.snapshot();
        QuerySpec old = before.queries().get("n").spec();
        Files.writeString(file, header()
                + "metric.n.sql=SELECT 2 AS n\nmetric.n.interval=1h\n");
        assertThat(runtime.reload().applied()).isTrue();
        AgentSnapshot after = runtime.snapshot();
        assertThat(after.updateQuery(old, state -> state.waiting("a late run of the old spec"))).isSameAs(after);
    }
}
