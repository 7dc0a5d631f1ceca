package dev.bizmetrics.agent.fleet;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.PGConnection;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fleet locks on the real servers: PostgreSQL at 127.0.0.1:5432 and MariaDB at 127.0.0.1:3306 (database test), and
 * PgBouncer ({@code /usr/sbin/pgbouncer}) started by the test in front of the PostgreSQL. Fails when one is missing.
 * Every test uses a fleet name of its own, so that runs in parallel on the same servers do not meet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetLockIT {

    /** The two servers, connected the plain way a host's pool would. */
    enum Db {
        POSTGRES("jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=5", "postgres"),
        MARIADB("jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=5000", "root");

        final String url;
        final String user;

        Db(String url, String user) {
            this.url = url;
            this.user = user;
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, "");
        }
    }

    private PgBouncer bouncer;

    @BeforeAll
    void startPgBouncer() throws Exception {
        bouncer = PgBouncer.start();
    }

    @AfterAll
    void stopPgBouncer() throws Exception {
        if (bouncer != null) {
            bouncer.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void oneSessionHoldsItAndAnotherWaitsUntilASingleReleaseFreesIt(Db db) throws Exception {
        String fleet = fleet();
        try (Connection a = db.connect(); Connection b = db.connect()) {
            FleetLock lockA = FleetLock.forDatabase(a, fleet, "main");
            FleetLock lockB = FleetLock.forDatabase(b, fleet, "main");

            assertThat(lockA.tryAcquire(a)).isEqualTo(LockState.OURS);
            assertThat(lockA.problem()).isNull();
            assertThat(lockB.tryAcquire(b)).isEqualTo(LockState.NOT_OURS);
            assertThat(lockB.problem()).isNull();
            // Held already: ours without counting a second take, so that one release frees it.
            assertThat(lockA.tryAcquire(a)).isEqualTo(LockState.OURS);
            assertThat(lockA.tryAcquire(a)).isEqualTo(LockState.OURS);
            assertThat(lockB.release(b)).isFalse();
            assertThat(lockA.release(a)).isTrue();

            assertThat(lockB.tryAcquire(b)).isEqualTo(LockState.OURS);
            assertThat(lockA.tryAcquire(a)).isEqualTo(LockState.NOT_OURS);
            assertThat(lockB.release(b)).isTrue();
            assertThat(lockB.release(b)).isFalse();
        }
    }

    /** A new instance (after a reload, say) on the holder's direct connection: the session holds it, so it is ours. */
    @ParameterizedTest
    @EnumSource(Db.class)
    void aLockThisSessionHoldsIsOursWhicheverInstanceAsks(Db db) throws Exception {
        String fleet = fleet();
        try (Connection a = db.connect(); Connection b = db.connect()) {
            assertThat(FleetLock.forDatabase(a, fleet, "main").tryAcquire(a)).isEqualTo(LockState.OURS);
            FleetLock again = FleetLock.forDatabase(a, fleet, "main");
            assertThat(again.tryAcquire(a)).isEqualTo(LockState.OURS);
            assertThat(again.problem()).isNull();
            assertThat(again.release(a)).isTrue();
            assertThat(FleetLock.forDatabase(b, fleet, "main").tryAcquire(b)).isEqualTo(LockState.OURS);
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void closingTheHoldersConnectionFreesIt(Db db) throws Exception {
        String fleet = fleet();
        try (Connection b = db.connect()) {
            FleetLock lockB = FleetLock.forDatabase(b, fleet, "main");
            try (Connection a = db.connect()) {
                assertThat(FleetLock.forDatabase(a, fleet, "main").tryAcquire(a)).isEqualTo(LockState.OURS);
                assertThat(lockB.tryAcquire(b)).isEqualTo(LockState.NOT_OURS);
            }
            assertThat(eventuallyOurs(lockB, b)).isTrue();
            assertThat(lockB.release(b)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void differentFleetOrDataSourceNamesAreIndependentLocks(Db db) throws Exception {
        String fleet = fleet();
        try (Connection a = db.connect(); Connection b = db.connect()) {
            FleetLock main = FleetLock.forDatabase(a, fleet, "main");
            FleetLock otherDataSource = FleetLock.forDatabase(b, fleet, "reports");
            FleetLock otherFleet = FleetLock.forDatabase(b, fleet + "_b", "main");

            assertThat(main.tryAcquire(a)).isEqualTo(LockState.OURS);
            assertThat(otherDataSource.tryAcquire(b)).isEqualTo(LockState.OURS);
            assertThat(otherFleet.tryAcquire(b)).isEqualTo(LockState.OURS);
            assertThat(FleetLock.forDatabase(b, fleet, "main").tryAcquire(b)).isEqualTo(LockState.NOT_OURS);
            assertThat(main.key()).isNotEqualTo(otherDataSource.key()).isNotEqualTo(otherFleet.key());

            assertThat(otherDataSource.release(b)).isTrue();
            assertThat(otherFleet.release(b)).isTrue();
            assertThat(main.release(a)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void keysAreWhatADbaLooksUp(Db db) throws Exception {
        try (Connection a = db.connect()) {
            FleetLock lock = FleetLock.forDatabase(a, "shop", "main");
            if (db == Db.POSTGRES) {
                assertThat(lock.key()).isEqualTo("pg_advisory_lock(" + PostgresFleetLock.key("shop", "main") + ")");
            } else {
                assertThat(lock.key()).isEqualTo("GET_LOCK('bizmetrics.shop.main')");
            }
        }
    }

    /** Each statement rolled back with auto-commit off, none without; only plain statements with a timeout. */
    @ParameterizedTest
    @EnumSource(Db.class)
    void statementsAreDoneWithTheHostsConnectionAsLent(Db db) throws Exception {
        String fleet = fleet();
        for (boolean autoCommit : new boolean[] {true, false}) {
            try (Connection real = db.connect(); Connection b = db.connect()) {
                real.setAutoCommit(autoCommit);
                List<String> calls = Collections.synchronizedList(new ArrayList<>());
                Connection a = recording(real, calls);
                FleetLock lock = FleetLock.forDatabase(a, fleet, "main");
                calls.clear();

                assertThat(lock.tryAcquire(a)).isEqualTo(LockState.OURS);
                assertThat(lock.tryAcquire(a)).isEqualTo(LockState.OURS);
                assertThat(lock.release(a)).isTrue();

                long statements = calls.stream().filter("createStatement"::equals).count();
                assertThat(statements).isGreaterThanOrEqualTo(3);
                assertThat(calls.stream().filter("setQueryTimeout(5)"::equals).count()).isEqualTo(statements);
                assertThat(calls.stream().filter("rollback"::equals).count()).isEqualTo(autoCommit ? 0 : statements);
                assertThat(calls).allMatch(call -> call.equals("createStatement") || call.equals("rollback")
                        || call.equals("setQueryTimeout(5)") || call.equals("getAutoCommit")
                        || call.startsWith("unwrap") || call.startsWith("isWrapperFor"));
                assertThat(real.getAutoCommit()).isEqualTo(autoCommit);
                assertThat(FleetLock.forDatabase(b, fleet, "main").tryAcquire(b)).isEqualTo(LockState.OURS);
            }
        }
    }

    /** What the server says: no transaction left open, and a rollback of the host's does not release the lock. */
    @Test
    void withAutoCommitOffNoTransactionStaysOpenOnPostgres() throws Exception {
        String fleet = fleet();
        try (Connection a = Db.POSTGRES.connect(); Connection observer = Db.POSTGRES.connect()) {
            a.setAutoCommit(false);
            int pid = a.unwrap(PGConnection.class).getBackendPID();
            FleetLock lock = FleetLock.forDatabase(a, fleet, "main");
            FleetLock other = FleetLock.forDatabase(observer, fleet, "main");

            assertThat(lock.tryAcquire(a)).isEqualTo(LockState.OURS);
            assertThat(transactionState(observer, pid)).isEqualTo("idle, no transaction");
            a.rollback();
            assertThat(other.tryAcquire(observer)).isEqualTo(LockState.NOT_OURS);
            assertThat(lock.tryAcquire(a)).isEqualTo(LockState.OURS);
            assertThat(lock.release(a)).isTrue();
            assertThat(transactionState(observer, pid)).isEqualTo("idle, no transaction");
            assertThat(other.tryAcquire(observer)).isEqualTo(LockState.OURS);
            assertThat(other.release(observer)).isTrue();
        }
    }

    @Test
    void h2HasNoLockWeUse() throws Exception {
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:fleet")) {
            assertThat(FleetLock.forDatabase(h2, "shop", "main")).isNull();
        }
    }

    @Test
    void throughASessionPoolingPgBouncerTheLockHolds() throws Exception {
        String fleet = fleet();
        try (Connection b = DriverManager.getConnection(bouncer.url("session"), "postgres", "")) {
            FleetLock lockB = FleetLock.forDatabase(b, fleet, "main");
            try (Connection a = DriverManager.getConnection(bouncer.url("session"), "postgres", "")) {
                FleetLock lockA = FleetLock.forDatabase(a, fleet, "main");
                // PgBouncer hides the backend pid from the driver: the proxy is seen, and is no problem by itself.
                assertThat(PgDriver.backendPid(a)).isNotEqualTo(backendPid(a)).isNotZero();

                assertThat(lockA.tryAcquire(a)).isEqualTo(LockState.OURS);
                assertThat(lockB.tryAcquire(b)).isEqualTo(LockState.NOT_OURS);
                assertThat(lockA.tryAcquire(a)).isEqualTo(LockState.OURS);
                assertThat(lockA.problem()).isNull();
            }
            // The client left: PgBouncer's server_reset_query (DISCARD ALL) frees the backend's locks.
            assertThat(eventuallyOurs(lockB, b)).isTrue();
            assertThat(lockB.release(b)).isTrue();
        }
    }

    /** Replicas take turns on a backend: the second finds the first's lock "held by this session". */
    @Test
    void throughATransactionPoolingPgBouncerASharedBackendIsUnusable() throws Exception {
        String fleet = fleet();
        try (Connection a = DriverManager.getConnection(bouncer.url("transaction"), "postgres", "");
             Connection b = DriverManager.getConnection(bouncer.url("transaction"), "postgres", "")) {
            FleetLock lockA = FleetLock.forDatabase(a, fleet, "main");
            FleetLock lockB = FleetLock.forDatabase(b, fleet, "main");

            // Alone, a client stays on the backend PgBouncer used last: nothing to see yet.
            assertThat(lockA.tryAcquire(a)).isEqualTo(LockState.OURS);
            assertThat(lockB.tryAcquire(b)).isEqualTo(LockState.PROXY);
            assertThat(lockB.problem()).startsWith("the connection goes through a transaction-pooling proxy (PgBouncer?)")
                    .contains("already holds the lock though this connection never took it")
                    .contains("every replica runs its queries");
            assertThat(lockA.release(a)).isTrue();
        }
    }

    /** Another client's transaction takes the holder's backend: the holder's next attempt lands elsewhere. */
    @Test
    void throughATransactionPoolingPgBouncerAMovedSessionIsUnusable() throws Exception {
        String fleet = fleet();
        try (Connection a = DriverManager.getConnection(bouncer.url("transaction"), "postgres", "");
             Connection other = DriverManager.getConnection(bouncer.url("transaction"), "postgres", "")) {
            FleetLock lock = FleetLock.forDatabase(a, fleet, "main");
            assertThat(lock.tryAcquire(a)).isEqualTo(LockState.OURS);
            int holder = backendPid(a);

            other.setAutoCommit(false);
            assertThat(backendPid(other)).isEqualTo(holder);
            assertThat(lock.tryAcquire(a)).isEqualTo(LockState.PROXY);
            assertThat(lock.problem()).startsWith("the connection goes through a transaction-pooling proxy (PgBouncer?)")
                    .contains("backend pid changed from " + holder + " to ")
                    .contains("since this connection took the lock");

            other.rollback();
            assertThat(lock.release(a)).as("released on the holder's backend, free again").isTrue();
        }
    }

    /** Consecutive transactions of one client on different backends, as on a busy pool. */
    @Test
    void throughATransactionPoolingPgBouncerAPidChangeWithinAnAttemptIsUnusable() throws Exception {
        String fleet = fleet();
        try (PgBouncer roundRobin = PgBouncer.start("server_round_robin = 1");
             Connection warm1 = DriverManager.getConnection(roundRobin.url("transaction"), "postgres", "");
             Connection warm2 = DriverManager.getConnection(roundRobin.url("transaction"), "postgres", "");
             Connection a = DriverManager.getConnection(roundRobin.url("transaction"), "postgres", "")) {
            // Two server connections in the pool, so that round-robin alternates between them.
            warm1.setAutoCommit(false);
            warm2.setAutoCommit(false);
            assertThat(backendPid(warm1)).isNotEqualTo(backendPid(warm2));
            warm1.commit();
            warm2.commit();

            FleetLock lock = FleetLock.forDatabase(a, fleet, "main");
            assertThat(lock.tryAcquire(a)).isEqualTo(LockState.PROXY);
            assertThat(lock.problem()).startsWith("the connection goes through a transaction-pooling proxy (PgBouncer?)")
                    .containsPattern("backend pid changed from \\d+ to \\d+ between two statements")
                    .contains("every replica runs its queries");
        }
    }

    @Test
    void hikariHandsOutTheDriversBackendPid() throws Exception {
        String fleet = fleet();
        for (String url : new String[] {Db.POSTGRES.url, bouncer.url("session")}) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setUsername("postgres");
            config.setMaximumPoolSize(2);
            try (HikariDataSource pool = new HikariDataSource(config); Connection c = pool.getConnection()) {
                assertThat(c.getClass().getName()).startsWith("com.zaxxer.hikari.");
                if (url.equals(Db.POSTGRES.url)) {
                    assertThat(PgDriver.backendPid(c)).isEqualTo(backendPid(c));
                } else {
                    assertThat(PgDriver.backendPid(c)).isNotEqualTo(backendPid(c)).isNotZero();
                }
                FleetLock lock = FleetLock.forDatabase(c, fleet, "main");
                assertThat(lock.tryAcquire(c)).isEqualTo(LockState.OURS);
                assertThat(lock.tryAcquire(c)).isEqualTo(LockState.OURS);
                assertThat(lock.release(c)).isTrue();
            }
        }
    }

    /**
     * A user without EXECUTE on pg_try_advisory_lock, without changing the shared cluster: the function's ACL is kept
     * per database, so it is revoked in a scratch database, and a superuser's session acts as the non-superuser
     * predefined role pg_monitor (SET ROLE), so no role is created either.
     */
    @Test
    void postgresWithoutTheFunctionGrantedIsUnusable() throws Exception {
        String scratch = "bm_fleet_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        try (Connection admin = Db.POSTGRES.connect()) {
            execute(admin, "CREATE DATABASE " + scratch);
            try {
                String url = Db.POSTGRES.url.replace("/test?", "/" + scratch + "?");
                try (Connection owner = DriverManager.getConnection(url, "postgres", "")) {
                    execute(owner, "REVOKE EXECUTE ON FUNCTION pg_catalog.pg_try_advisory_lock(bigint) FROM PUBLIC");
                }
                try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
                    execute(c, "SET ROLE pg_monitor");
                    FleetLock lock = FleetLock.forDatabase(c, "shop", "main");
                    assertThat(lock.tryAcquire(c)).isEqualTo(LockState.UNUSABLE);
                    assertThat(lock.problem())
                            .startsWith("the database user may not take advisory locks (ERROR: permission denied for "
                                    + "function pg_try_advisory_lock, SQLSTATE 42501)")
                            .contains("grant it EXECUTE ON FUNCTION pg_catalog.pg_try_advisory_lock(bigint)");
                    // The connection is usable afterwards: the failure left no aborted transaction behind.
                    c.setAutoCommit(false);
                    assertThat(lock.tryAcquire(c)).isEqualTo(LockState.UNUSABLE);
                    assertThat(backendPid(c)).isPositive();
                }
            } finally {
                execute(admin, "DROP DATABASE IF EXISTS " + scratch + " WITH (FORCE)");
            }
        }
    }

    private static String fleet() {
        return "it_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    }

    /** Polls: a server frees a closed session's locks soon after, not at once. */
    private static boolean eventuallyOurs(FleetLock lock, Connection connection) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (lock.tryAcquire(connection) == LockState.OURS) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String transactionState(Connection observer, int pid) throws SQLException {
        try (Statement s = observer.createStatement();
             ResultSet rs = s.executeQuery("SELECT state, xact_start IS NULL FROM pg_stat_activity WHERE pid = " + pid)) {
            assertThat(rs.next()).as("backend " + pid + " in pg_stat_activity").isTrue();
            return rs.getString(1) + (rs.getBoolean(2) ? ", no transaction" : ", transaction open");
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /** The connection, noting each call the lock makes on it and on its statements. */
    private static Connection recording(Connection real, List<String> calls) {
        return (Connection) Proxy.newProxyInstance(FleetLockIT.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    calls.add(method.getName());
                    Object result = invoke(method, real, args);
                    if (result instanceof Statement) {
                        Statement statement = (Statement) result;
                        return Proxy.newProxyInstance(FleetLockIT.class.getClassLoader(),
                                new Class<?>[] {Statement.class}, (p, m, a) -> {
                                    if (m.getName().equals("setQueryTimeout")) {
                                        calls.add("setQueryTimeout(" + a[0] + ")");
                                    }
                                    return invoke(m, statement, a);
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
