package dev.bizmetrics.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.bizmetrics.agent.engine.Outcome;
import dev.bizmetrics.agent.expose.MetricsCollector;
import dev.bizmetrics.agent.state.QueryState;
import dev.bizmetrics.agent.testing.Configs;
import dev.bizmetrics.bootstrap.DataSourceRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's pool as the agent exposes it ({@code db_client_connection_*}) and how a run yields to it, in-process on
 * a real PostgreSQL: a runtime and a HikariCP pool of 4 that the test (the host) holds connections of.
 */
class PoolMetricsRuntimeIT {

    static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final AtomicInteger POOLS = new AtomicInteger();

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private HikariDataSource pool(String name) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(PG);
        hikari.setUsername("postgres");
        hikari.setMaximumPoolSize(4);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(30_000);
        HikariDataSource pool = new HikariDataSource(hikari);
        closing.add(pool);
        DataSourceRegistry.created(pool);
        DataSourceRegistry.used(pool);
        return pool;
    }

    private Runtime runtime(String pool, String queries) throws Exception {
        Path file = Configs.write(dir, "http.port=0\nhttp.host=127.0.0.1\ndatasource.main.match=pool:" + pool + "\n"
                + queries);
        Runtime runtime = new Runtime(Configs.source(file), "test", "in a test");
        closing.add(runtime);
        runtime.start();
        return runtime;
    }

    /** Series text ({@code {label="value",...}}) → value of one family, as a scrape of this snapshot shows it. */
    static Map<String, Double> family(Runtime runtime, String name) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (MetricSnapshot metric : MetricsCollector.of(runtime.snapshot())) {
            if (!metric.getMetadata().getPrometheusName().equals(name)) {
                continue;
            }
            for (DataPointSnapshot point : metric.getDataPoints()) {
                double value = point instanceof GaugeSnapshot.GaugeDataPointSnapshot
                        ? ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue()
                        : ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
                series.put(point.getLabels().toString(), value);
            }
        }
        return series;
    }

    @Test
    void thePoolTheHostHoldsTwoOfIsExposedAsItsOwnApiTellsIt() throws Exception {
        String name = "pool-metrics-" + POOLS.incrementAndGet();
        HikariDataSource pool = pool(name);
        Connection one = pool.getConnection();
        Connection two = pool.getConnection();
        closing.add(one);
        closing.add(two);
        Runtime runtime = runtime(name, "metric.n.sql=SELECT 1 AS n\nmetric.n.interval=1h\n");
        String label = "{db_client_connection_pool_name=\"" + name + "\"";
        FleetRuntimeIT.await("a pool sample", Duration.ofSeconds(10),
                () -> family(runtime, "db_client_connection_max").containsKey(label + "}"));
        HikariPoolMXBean own = pool.getHikariPoolMXBean();
        // Hikari adds its minimum idle connection in the background: compare once a sample follows that.
        String idle = label + ",db_client_connection_state=\"idle\"}";
        FleetRuntimeIT.await("a sample after the pool settled", Duration.ofSeconds(12),
                () -> own.getIdleConnections() >= 1 && family(runtime, "db_client_connection_count").get(idle) != null
                        && family(runtime, "db_client_connection_count").get(idle) == own.getIdleConnections());
        assertThat(family(runtime, "db_client_connection_max")).containsEntry(label + "}", 4.0);
        assertThat(family(runtime, "db_client_connection_idle_min")).containsEntry(label + "}", 1.0);
        assertThat(family(runtime, "db_client_connection_pending_requests")).containsEntry(label + "}", 0.0);
        assertThat(family(runtime, "db_client_connection_count").get(label + ",db_client_connection_state=\"used\"}"))
                .isEqualTo(own.getActiveConnections()).isEqualTo(2.0);
        assertThat(family(runtime, "db_client_connection_count").get(label + ",db_client_connection_state=\"idle\"}"))
                .isEqualTo(own.getIdleConnections());
    }

    @Test
    void whileHostThreadsWaitForTheFullPoolTheRunBorrowsNothingAndCountsBusy() throws Exception {
        String name = "pool-busy-" + POOLS.incrementAndGet();
        HikariDataSource pool = pool(name);
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(pool.getConnection());
        }
        ExecutorService waiters = Executors.newFixedThreadPool(2);
        closing.add(waiters::shutdownNow);
        List<Future<Connection>> waiting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            waiting.add(waiters.submit(() -> pool.getConnection()));
        }
        FleetRuntimeIT.await("two waiting threads", Duration.ofSeconds(5),
                () -> pool.getHikariPoolMXBean().getThreadsAwaitingConnection() == 2);
        Runtime runtime = runtime(name, "metric.busy_probe.sql=SELECT 7 AS bm_busy_probe\n"
                + "metric.busy_probe.interval=1s\nmetric.busy_probe.timeout=1s\n");

        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int agentStatements = 0;
        try (Connection watcher = DriverManager.getConnection(PG, "postgres", "");
             Statement st = watcher.createStatement()) {
            while (System.nanoTime() < end) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
                        + "'%bm_busy_' || 'probe%' AND pid <> pg_backend_pid()")) {
                    rs.next();
                    agentStatements += rs.getInt(1);
                }
                Thread.sleep(20);
            }
        }
        QueryState state = runtime.snapshot().queries().get("busy_probe");
        assertThat(state.runs(Outcome.BUSY)).as("runs counted busy").isGreaterThanOrEqualTo(2);
        assertThat(state.runs(Outcome.SUCCESS) + state.runs(Outcome.ERROR)).isZero();
        assertThat(agentStatements).as("the agent's statement never reached the database").isZero();
        assertThat(state.last().error()).contains("2 thread(s) of the application waited for a connection");
        assertThat(family(runtime, "bizmetrics_query_runs"))
                .containsKey("{query=\"busy_probe\",result=\"busy\"}");
        assertThat(family(runtime, "busy_probe")).isEmpty();
        assertThat(family(runtime, "db_client_connection_pending_requests"))
                .containsEntry("{db_client_connection_pool_name=\"" + name + "\"}", 2.0);

        for (Connection c : held) {
            c.close();
        }
        for (Future<Connection> w : waiting) {
            w.get().close();
        }
        FleetRuntimeIT.await("a successful run once the host lets go", Duration.ofSeconds(5),
                () -> runtime.snapshot().queries().get("busy_probe").runs(Outcome.SUCCESS) > 0);
        assertThat(family(runtime, "busy_probe")).containsValue(7.0);
    }

    @Test
    void poolsMetricsFalseExposesNoPool() throws Exception {
        String name = "pool-off-" + POOLS.incrementAndGet();
        pool(name).getConnection().close();
        Runtime runtime = runtime(name, "pools.metrics=false\nmetric.n.sql=SELECT 1 AS n\n");
        FleetRuntimeIT.await("the first run", Duration.ofSeconds(10),
                () -> runtime.snapshot().queries().get("n").runs(Outcome.SUCCESS) > 0);
        Thread.sleep(PoolSampling.PERIOD_MILLIS + 1000); // a sample after the binding: the pool would be in it
        assertThat(runtime.snapshot().discovery().seen()).isNotEmpty();
        assertThat(family(runtime, "db_client_connection_max")).isEmpty();
    }
}
