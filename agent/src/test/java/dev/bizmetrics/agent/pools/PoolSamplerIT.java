package dev.bizmetrics.agent.pools;

import dev.bizmetrics.agent.pools.TestPools.Db;
import dev.bizmetrics.agent.pools.TestPools.Kind;
import dev.bizmetrics.agent.pools.TestPools.Pool;
import io.agroal.api.AgroalDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PoolSampler} on every recognised pool, real pools on H2 (in memory) and on PostgreSQL (127.0.0.1:5432,
 * which must be there: a missing database fails the test). Each pool has at most 4 connections; the test holds some
 * and compares the sample with what the pool's own API says at the same moment.
 */
class PoolSamplerIT {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long POLL_MS = 2000;
    private static final long WAITED_MS = 300;

    static Stream<Arguments> everyPoolOnEveryDatabase() {
        List<Arguments> arguments = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (String db : List.of("h2", "postgres")) {
                arguments.add(Arguments.of(kind, db));
            }
        }
        return arguments.stream();
    }

    private static Db db(String name, Kind kind) {
        String id = "bm_sampler_" + kind.name().toLowerCase() + "_" + UUID.randomUUID().toString().substring(0, 8);
        return name.equals("h2") ? Db.h2(id) : Db.postgres(id);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("everyPoolOnEveryDatabase")
    void holdingTwoOfFourThenAllWithTwoWaiters(Kind kind, String dbName) throws Exception {
        Db db = db(dbName, kind);
        ExecutorService waiters = Executors.newFixedThreadPool(2);
        try (Pool pool = TestPools.create(kind, db, WAIT)) {
            List<Connection> held = new ArrayList<>();
            // Every acquisition's time counts, opening a connection included; at most two wait at once.
            long waitsFrom = System.nanoTime();
            held.add(pool.dataSource().getConnection());
            held.add(pool.dataSource().getConnection());

            PoolSample two = steadySample(pool);
            assertThat(two.max()).as("max").isEqualTo(TestPools.MAX);
            assertThat(two.used()).as("used").isEqualTo(2);
            assertThat(two.pending()).as("pending").isEqualTo(kind.noPending());
            assertThat(two.idleMin()).as("idle.min").isEqualTo(kind.idleMin);
            assertThat(two.idleMax()).as("idle.max").isEqualTo(kind.idleMax);
            assertThat(two.timeouts()).as("timeouts").isEqualTo(kind.freshTimeouts());
            assertThat(PoolSampler.pending(pool.dataSource())).as("pending()").isEqualTo(kind.noPending());
            assertThat(two.acquisitions()).as("acquisitions").isEqualTo(kind.addsWaitsUp ? 2 : -1);

            held.add(pool.dataSource().getConnection());
            held.add(pool.dataSource().getConnection());
            List<Future<?>> waiting = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                waiting.add(waiters.submit(() -> {
                    try (Connection connection = pool.dataSource().getConnection()) {
                        return connection.isValid(1);
                    }
                }));
            }
            PoolSample full = poll(pool, s -> s.pending() >= 1);
            if (kind.countsPending) {
                assertThat(full.pending()).as("pending with two threads waiting: " + full).isGreaterThanOrEqualTo(1);
                assertThat(PoolSampler.pending(pool.dataSource())).as("pending()").isGreaterThanOrEqualTo(1);
            } else {
                assertThat(full.pending()).as("pending of a pool that does not tell").isEqualTo(-1);
                assertThat(PoolSampler.pending(pool.dataSource())).as("pending()").isEqualTo(-1);
            }
            assertThat(full.used()).as("used").isEqualTo(TestPools.MAX);
            assertThat(full.idle()).as("idle").isZero();
            // A waiter seen waiting waits this long at least, so that the wait time cannot be read in a wrong unit.
            Thread.sleep(WAITED_MS);

            for (Connection connection : held) {
                connection.close();
            }
            for (Future<?> future : waiting) {
                assertThat(future.get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS)).isEqualTo(true);
            }
            double waitedAtMost = 2 * (System.nanoTime() - waitsFrom) / 1e9;
            PoolSample after = poll(pool, s -> s.pending() == kind.noPending() && s.used() == 0);
            assertThat(after.pending()).as("pending once released: " + after).isEqualTo(kind.noPending());
            assertThat(after.used()).as("used once released").isZero();
            assertThat(PoolSampler.pending(pool.dataSource())).as("pending()").isEqualTo(kind.noPending());
            assertThat(after.timeouts()).as("timeouts").isEqualTo(kind.freshTimeouts());
            if (kind.addsWaitsUp) {
                assertThat(after.acquisitions()).as("acquisitions: 4 held and 2 that waited").isEqualTo(6);
                assertThat(after.waitSeconds()).as("seconds waited by the two waiters: " + after)
                        .isBetween(WAITED_MS / 1000.0, waitedAtMost);
            } else {
                assertThat(after.waitSeconds()).as("wait time of a pool that does not add it up").isEqualTo(-1);
                assertThat(after.acquisitions()).isEqualTo(-1);
            }
        } finally {
            waiters.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("everyPoolOnEveryDatabase")
    void aTimedOutWaitIsCountedWhereThePoolCountsThem(Kind kind, String dbName) throws Exception {
        Db db = db(dbName, kind);
        // UCP and c3p0 wait in whole and in milliseconds: half a second suits every pool.
        try (Pool pool = TestPools.create(kind, db, Duration.ofMillis(500))) {
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < TestPools.MAX; i++) {
                held.add(pool.dataSource().getConnection());
            }
            assertThatThrownBy(() -> pool.dataSource().getConnection().close()).isInstanceOf(SQLException.class);
            PoolSample sample = PoolSampler.sample(pool.dataSource());
            assertThat(sample).isNotNull();
            assertThat(sample.timeouts()).as("timeouts after one").isEqualTo(kind.countsTimeouts ? 1 : -1);
            for (Connection connection : held) {
                connection.close();
            }
        }
    }

    /**
     * A pool that has not started gives no sample and is not started by the sampler: PostgreSQL, which lists the
     * sessions of the pool's application name, has none, though the pool would open two at once when it starts.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void anUnstartedPoolGivesNoSampleAndOpensNoConnection(Kind kind) throws Exception {
        String applicationName = "bm_unstarted_" + kind.name().toLowerCase() + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        try (Pool pool = TestPools.probe(kind, Db.postgres(applicationName))) {
            for (int i = 0; i < 3; i++) {
                PoolSample sample = PoolSampler.sample(pool.dataSource());
                int pending = PoolSampler.pending(pool.dataSource());
                if (kind == Kind.AGROAL) {
                    // Agroal starts in its constructor; with no minimum it opens nothing until asked.
                    assertThat(sample).isEqualTo(new PoolSample(0, 0, TestPools.MAX, 0, -1, 0, -1, 0, 0));
                    assertThat(pending).isZero();
                } else {
                    assertThat(sample).as("sample of an unstarted pool").isNull();
                    assertThat(pending).as("pending of an unstarted pool").isEqualTo(-1);
                }
            }
            // c3p0 and Hikari open their connections on threads of their own: give them the time to show.
            Thread.sleep(500);
            assertThat(sessions(applicationName)).as("sessions the sampler opened").isZero();

            pool.start();
            PoolSample started = poll(pool, s -> true);
            assertThat(started).as("sample once started").isNotNull();
            assertThat(started.max()).isEqualTo(TestPools.MAX);
        }
    }

    /** Agroal counts the connections in use only with its metrics enabled; without, it still knows its waiters. */
    @Test
    void agroalWithoutItsMetricsTellsItsWaitersAndSizesOnly() throws Exception {
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try (AgroalDataSource pool = TestPools.agroal(Db.h2("bm_sampler_agroal_nometrics"), WAIT, 1, false)) {
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < TestPools.MAX; i++) {
                held.add(pool.getConnection());
            }
            assertThat(pool.getMetrics().activeCount()).as("its own metrics, off").isZero();
            Future<Boolean> waiting = waiter.submit(() -> {
                try (Connection connection = pool.getConnection()) {
                    return connection.isValid(1);
                }
            });
            long deadline = System.currentTimeMillis() + POLL_MS;
            while (PoolSampler.pending(pool) < 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(PoolSampler.sample(pool)).isEqualTo(new PoolSample(-1, -1, TestPools.MAX, 1, -1, 1, -1, -1, -1));
            for (Connection connection : held) {
                connection.close();
            }
            assertThat(waiting.get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS)).isTrue();
        } finally {
            waiter.shutdownNow();
        }
    }

    /**
     * A sample taken between two readings of the pool's own getters that agree (a pool that fills its minimum idle
     * on a thread of its own may change in between): its used and idle are what the pool says.
     */
    private static PoolSample steadySample(Pool pool) throws Exception {
        long deadline = System.currentTimeMillis() + POLL_MS;
        while (true) {
            int usedBefore = pool.ownUsed();
            int idleBefore = pool.ownIdle();
            PoolSample sample = PoolSampler.sample(pool.dataSource());
            int usedAfter = pool.ownUsed();
            int idleAfter = pool.ownIdle();
            assertThat(sample).as("sample of " + pool).isNotNull();
            if (usedBefore == usedAfter && idleBefore == idleAfter) {
                assertThat(sample.used()).as("used, as the pool says").isEqualTo(usedAfter);
                assertThat(sample.idle()).as("idle, as the pool says").isEqualTo(idleAfter);
                return sample;
            }
            assertThat(System.currentTimeMillis()).as("the pool kept changing").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** The first sample that matches within {@link #POLL_MS}, else the last one. */
    private static PoolSample poll(Pool pool, Predicate<PoolSample> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + POLL_MS;
        PoolSample sample = PoolSampler.sample(pool.dataSource());
        while ((sample == null || !condition.test(sample)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            sample = PoolSampler.sample(pool.dataSource());
        }
        return sample;
    }

    private static int sessions(String applicationName) throws SQLException {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             PreparedStatement statement = admin.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            statement.setString(1, applicationName);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
