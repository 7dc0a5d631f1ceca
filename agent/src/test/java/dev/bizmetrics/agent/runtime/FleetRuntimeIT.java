package dev.bizmetrics.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bizmetrics.agent.engine.Outcome;
import dev.bizmetrics.agent.expose.MetricsCollector;
import dev.bizmetrics.agent.state.AgentSnapshot;
import dev.bizmetrics.agent.state.FleetStatus;
import dev.bizmetrics.agent.state.FleetStatus.Reason;
import dev.bizmetrics.agent.state.QueryState;
import dev.bizmetrics.agent.testing.Configs;
import dev.bizmetrics.bootstrap.DataSourceRegistry;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet mode in-process: several runtimes in one JVM stand for the replicas of a service, each bound to its own
 * HikariCP pool on one real database, as each replica has its own pool. What a user checks: one leader, the
 * fleet's series on the leader alone, the lock in {@code pg_locks}, the hand-over, and where every replica runs.
 */
class FleetRuntimeIT {

    static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/bm_fleet";
    static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/test";
    private static final AtomicInteger POOLS = new AtomicInteger();

    @TempDir
    Path dir;

    private final List<Replica> replicas = new ArrayList<>();

    @BeforeAll
    static void database() throws SQLException {
        try (Connection admin = DriverManager.getConnection(PG_ADMIN, "postgres", "");
             Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS bm_fleet WITH (FORCE)");
            st.execute("CREATE DATABASE bm_fleet");
        }
        try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE fleet_orders (id int)");
            st.execute("INSERT INTO fleet_orders SELECT generate_series(1, 42)");
        }
        try (Connection c = DriverManager.getConnection(MARIADB, "root", ""); Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TABLE fleet_orders (id int)");
            st.execute("INSERT INTO fleet_orders VALUES (1), (2), (3)");
        }
    }

    @AfterEach
    void stopReplicas() {
        for (Replica replica : replicas) {
            replica.close();
        }
    }

    /** Fleet-scoped {@code fleet_n} every second, instance-scoped {@code replica_n}, a check every second. */
    static String config(String pool, String extra) {
        String check = extra.contains("fleet.check-interval") ? "" : "fleet.check-interval=1s";
        return String.join("\n", "http.port=0", "http.host=127.0.0.1", "datasource.main.match=pool:" + pool,
                "fleet.mode=lock", check,
                "metric.fleet_n.sql=SELECT count(*) AS n FROM fleet_orders", "metric.fleet_n.interval=1s",
                "metric.replica_n.sql=SELECT count(*) + 1 AS n FROM fleet_orders", "metric.replica_n.interval=1s",
                "metric.replica_n.scope=instance", extra) + "\n";
    }

    private Replica replica(String url, String user, int maxPool, String extra) throws Exception {
        Replica replica = new Replica(dir, url, user, maxPool, extra);
        replicas.add(replica);
        return replica;
    }

    private Replica pgReplica() throws Exception {
        return replica(PG, "postgres", 4, "");
    }

    @Test
    void oneOfTwoReplicasLeadsAndOnlyItExposesTheFleetsSeries() throws Exception {
        Replica a = pgReplica();
        Replica b = pgReplica();
        await("one leader and one follower", Duration.ofSeconds(10), () -> leaders() == 1 && followers() == 1);
        Replica leader = a.leads() ? a : b;
        Replica follower = a.leads() ? b : a;
        await("the leader's first run", Duration.ofSeconds(5), () -> leader.value("fleet_n") != null);

        assertThat(leader.value("fleet_n")).isEqualTo(42.0);
        assertThat(leader.value("bizmetrics_fleet_leader")).isEqualTo(1.0);
        assertThat(follower.value("fleet_n")).as("a follower exposes no fleet series").isNull();
        assertThat(follower.value("bizmetrics_fleet_leader")).isEqualTo(0.0);
        assertThat(follower.modeLabels()).isEqualTo("lock/follows");
        assertThat(leader.modeLabels()).isEqualTo("lock/leads");
        await("the follower's query standing by", Duration.ofSeconds(3),
                () -> String.valueOf(follower.state("fleet_n").waitingFor()).contains("another replica holds"));
        assertThat(follower.state("fleet_n").waitingFor()).contains("does not run the queries of fleet",
                "another replica holds pg_advisory_lock(");
        assertThat(follower.state("fleet_n").runs(Outcome.SUCCESS)).isZero();
        await("the instance query on both", Duration.ofSeconds(5),
                () -> a.value("replica_n") != null && b.value("replica_n") != null);
        assertThat(follower.value("replica_n")).isEqualTo(43.0);
        assertThat(pgAdvisoryLocks()).as("one lock in pg_locks").isEqualTo(1);
        assertThat(leader.fleet().lockKey()).startsWith("pg_advisory_lock(");
        assertThat(leader.pool.getHikariPoolMXBean().getTotalConnections()).isLessThanOrEqualTo(4);
    }

    @Test
    void theLeaderThatStopsGivesTheLockBackBeforeItsPoolSeesTheConnection() throws Exception {
        Replica a = pgReplica();
        Replica b = pgReplica();
        await("a leader", Duration.ofSeconds(10), () -> leaders() == 1 && followers() == 1);
        Replica leader = a.leads() ? a : b;
        Replica follower = a.leads() ? b : a;
        long stopped = System.nanoTime();
        leader.runtime.close(); // its pool stays open: a lock left on a pooled connection would never be freed
        await("the follower takes over", Duration.ofSeconds(8), follower::leads);
        System.out.printf("hand-over after a stop: %d ms%n", (System.nanoTime() - stopped) / 1_000_000);
        assertThat(pgAdvisoryLocks()).isEqualTo(1);
        assertThat(leader.pool.getHikariPoolMXBean().getActiveConnections()).isZero();
        await("the new leader's run", Duration.ofSeconds(5), () -> follower.value("fleet_n") != null);
        assertThat(follower.value("fleet_n")).isEqualTo(42.0);
    }

    @Test
    void aLeaderWhoseConnectionIsKilledStepsDownAndOneReplicaLeadsAgain() throws Exception {
        Replica a = pgReplica();
        Replica b = pgReplica();
        await("a leader", Duration.ofSeconds(10), () -> leaders() == 1);
        Replica leader = a.leads() ? a : b;
        long successes = leader.state("fleet_n").runs(Outcome.SUCCESS);
        try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    + "AND database = (SELECT oid FROM pg_database WHERE datname = 'bm_fleet')");
        }
        long killed = System.nanoTime();
        int mostLeaders = 0;
        boolean steppedDown = false;
        while (System.nanoTime() - killed < Duration.ofSeconds(8).toNanos()) {
            mostLeaders = Math.max(mostLeaders, leaders());
            steppedDown |= !leader.leads();
            Thread.sleep(20);
        }
        assertThat(mostLeaders).as("never two leaders").isLessThanOrEqualTo(1);
        assertThat(steppedDown || leader.fleet().sinceMillis() > System.currentTimeMillis() - 8000)
                .as("the leader noticed its connection broke").isTrue();
        assertThat(leaders()).isEqualTo(1);
        assertThat(pgAdvisoryLocks()).isEqualTo(1);
        Replica now = a.leads() ? a : b;
        long before = now == leader ? successes : 0;
        await("the fleet query runs again", Duration.ofSeconds(5),
                () -> now.state("fleet_n").runs(Outcome.SUCCESS) > before);
    }

    @Test
    void aPoolOfTwoConnectionsRunsEveryReplicaAndSaysWhy() throws Exception {
        Replica a = replica(PG, "postgres", 2, "");
        await("a fleet status", Duration.ofSeconds(10), () -> a.fleet() != null
                && a.fleet().reason() == Reason.POOL_TOO_SMALL);
        assertThat(a.modeLabels()).isEqualTo("every/pool_too_small");
        assertThat(a.fleet().detail()).contains("at most 2 connections", "3 or more");
        await("the fleet query runs here", Duration.ofSeconds(5), () -> a.value("fleet_n") != null);
        assertThat(a.value("fleet_n")).isEqualTo(42.0);
        assertThat(pgAdvisoryLocks()).isZero();
    }

    @Test
    void h2HasNoLockSoEveryReplicaRuns() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:fleet_runtime;DB_CLOSE_DELAY=-1", "sa", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS fleet_orders (id int)");
            st.execute("INSERT INTO fleet_orders VALUES (1), (2)");
            Replica a = replica("jdbc:h2:mem:fleet_runtime;DB_CLOSE_DELAY=-1", "sa", 4, "");
            await("no lock", Duration.ofSeconds(10), () -> a.fleet() != null && a.fleet().reason() == Reason.NO_LOCK);
            assertThat(a.fleet().detail()).contains("H2", "every replica runs its queries");
            await("the fleet query runs here", Duration.ofSeconds(5), () -> a.value("fleet_n") != null);
            assertThat(a.value("fleet_n")).isEqualTo(2.0);
        }
    }

    @Test
    void mariaDbReplicasShareOneLeader() throws Exception {
        Replica a = replica(MARIADB, "root", 4, "");
        Replica b = replica(MARIADB, "root", 4, "");
        await("one leader and one follower", Duration.ofSeconds(10), () -> leaders() == 1 && followers() == 1);
        Replica leader = a.leads() ? a : b;
        Replica follower = a.leads() ? b : a;
        await("the leader's run", Duration.ofSeconds(5), () -> leader.value("fleet_n") != null);
        assertThat(leader.value("fleet_n")).isEqualTo(3.0);
        assertThat(follower.value("fleet_n")).isNull();
        assertThat(leader.fleet().lockKey()).startsWith("GET_LOCK('bizmetrics.");
        leader.runtime.close();
        await("the follower takes over", Duration.ofSeconds(8), follower::leads);
    }

    @Test
    void aReloadThatChangesTheQueriesMovesToAnotherFleetAndFreesTheOldLock() throws Exception {
        Replica a = pgReplica();
        await("a leader", Duration.ofSeconds(10), a::leads);
        String before = a.fleet().fleet();
        Files.writeString(a.file, config(a.poolName, "metric.more_n.sql=SELECT 7 AS n"));
        assertThat(a.runtime.reload().applied()).isTrue();
        await("the new fleet leads", Duration.ofSeconds(8), () -> a.leads() && !a.fleet().fleet().equals(before));
        assertThat(pgAdvisoryLocks()).as("the old fleet's lock is given back").isEqualTo(1);
        await("the new query runs on the leader", Duration.ofSeconds(5), () -> a.value("more_n") != null);
    }

    @Test
    void theFirstLockAttemptFollowsTheBindingOfItsDataSourceNotTheNextCheck() throws Exception {
        // A check every minute: only the binding can bring the attempt forward.
        Replica a = replica(PG, "postgres", 4, "fleet.check-interval=1m");
        await("a leader", Duration.ofSeconds(8), a::leads);
        await("the first run", Duration.ofSeconds(3), () -> a.value("fleet_n") != null);
    }

    private int leaders() {
        return (int) replicas.stream().filter(Replica::leads).count();
    }

    private int followers() {
        return (int) replicas.stream().filter(r -> r.fleet() != null && r.fleet().reason() == Reason.FOLLOWS).count();
    }

    static int pgAdvisoryLocks() throws SQLException {
        try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                     + "AND database = (SELECT oid FROM pg_database WHERE datname = 'bm_fleet')")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms");
            }
            Thread.sleep(20);
        }
    }

    /** One replica: its own pool, seen by the registry as the hooks would report it, and its own runtime. */
    static final class Replica implements AutoCloseable {
        final String poolName = "fleet-" + POOLS.incrementAndGet();
        final HikariDataSource pool;
        final Path file;
        final Runtime runtime;

        Replica(Path dir, String url, String user, int maxPool, String extra) throws Exception {
            HikariConfig hikari = new HikariConfig();
            hikari.setPoolName(poolName);
            hikari.setJdbcUrl(url);
            hikari.setUsername(user);
            hikari.setPassword("");
            hikari.setMaximumPoolSize(maxPool);
            pool = new HikariDataSource(hikari);
            DataSourceRegistry.created(pool);
            DataSourceRegistry.used(pool);
            file = Configs.write(dir, config(poolName, extra));
            runtime = new Runtime(Configs.source(file), "test", "in a test");
            runtime.start();
        }

        AgentSnapshot snapshot() {
            return runtime.snapshot();
        }

        FleetStatus fleet() {
            return snapshot().fleets().get("main");
        }

        boolean leads() {
            FleetStatus fleet = fleet();
            return fleet != null && fleet.leads();
        }

        QueryState state(String query) {
            return snapshot().queries().get(query);
        }

        /** The value of the one data point of a gauge, as a scrape shows it; null when the scrape has none. */
        Double value(String name) {
            for (MetricSnapshot metric : MetricsCollector.of(snapshot())) {
                if (metric.getMetadata().getPrometheusName().equals(name) && metric instanceof GaugeSnapshot
                        && !metric.getDataPoints().isEmpty()) {
                    return ((GaugeSnapshot) metric).getDataPoints().get(0).getValue();
                }
            }
            return null;
        }

        /** {@code mode/reason} of the one {@code bizmetrics_fleet_mode} series. */
        String modeLabels() {
            for (MetricSnapshot metric : MetricsCollector.of(snapshot())) {
                if (metric.getMetadata().getPrometheusName().equals("bizmetrics_fleet_mode")) {
                    DataPointSnapshot point = metric.getDataPoints().get(0);
                    return point.getLabels().get("mode") + "/" + point.getLabels().get("reason");
                }
            }
            return null;
        }

        @Override
        public void close() {
            runtime.close();
            pool.close();
        }
    }
}
