package dev.bizmetrics.agent.fleet;

import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A PostgreSQL session-level advisory lock on one bigint key, taken with {@code pg_try_advisory_lock}.
 *
 * <p>The lock belongs to a backend, not to a client connection, so it leads only while the client's statements keep
 * running on that backend. A transaction-pooling proxy (PgBouncer {@code pool_mode=transaction}) breaks that: a
 * replica's lock stays on a backend that other clients' transactions then use, and a second replica whose statement
 * lands there finds the lock "held by this session". Any proxy also hides the backend pid the driver got at connect
 * time (PgBouncer sends a random one), which is how it is seen; since a {@code pool_mode=session} proxy is fine, a
 * proxy alone is no problem, and these are: the backend pid changes between two statements of an attempt or since
 * this connection took the lock, or a proxied backend holds the lock although this connection never took it.
 */
final class PostgresFleetLock implements FleetLock {

    private final long key;
    private final String acquire;
    private final String check;
    private final String release;
    private volatile String problem;
    /** Where this instance took the lock last; null when it does not think it holds it. */
    private volatile Taken taken;

    PostgresFleetLock(String fleet, String dataSource) {
        this.key = key(fleet, dataSource);
        // The key of a bigint lock, as pg_locks shows it: the high and the low 32 bits as oids.
        String held = "EXISTS (SELECT 1 FROM pg_catalog.pg_locks l WHERE l.locktype = 'advisory' AND l.objsubid = 1"
                + " AND l.classid = '" + (key >>> 32) + "'::oid AND l.objid = '" + (key & 0xFFFFFFFFL) + "'::oid"
                + " AND l.mode = 'ExclusiveLock' AND l.granted AND l.pid = pg_catalog.pg_backend_pid())";
        // OFFSET 0 keeps the subquery from being merged into the outer one: "already" is read once, before the lock
        // is tried, and the lock is not tried when held (each try would count once more, each unlock once less).
        this.acquire = "SELECT s.pid, s.already, CASE WHEN s.already THEN true ELSE pg_catalog.pg_try_advisory_lock("
                + key + ") END FROM (SELECT pg_catalog.pg_backend_pid() AS pid, " + held + " AS already OFFSET 0) s";
        this.check = "SELECT pg_catalog.pg_backend_pid(), " + held;
        // Unlocking a lock the backend does not hold succeeds with a WARNING in the server log; asking first avoids it.
        this.release = "SELECT CASE WHEN " + held + " THEN pg_catalog.pg_advisory_unlock(" + key + ") ELSE false END";
    }

    /** The first 8 bytes of the identity's SHA-256, big-endian, as a signed long. */
    static long key(String fleet, String dataSource) {
        byte[] digest = LockSql.digest(fleet, dataSource);
        long key = 0;
        for (int i = 0; i < 8; i++) {
            key = key << 8 | (digest[i] & 0xFF);
        }
        return key;
    }

    @Override
    public String key() {
        return "pg_advisory_lock(" + key + ")";
    }

    @Override
    public LockState tryAcquire(Connection connection) throws SQLException {
        problem = null;
        int driverPid = PgDriver.backendPid(connection);
        String[] row;
        try {
            row = LockSql.firstRow(connection, acquire);
        } catch (SQLException e) {
            String refusal = refusal(e);
            if (refusal == null) {
                throw e;
            }
            taken = null;
            problem = refusal;
            return LockState.UNUSABLE;
        }
        int pid = (int) LockSql.number(row[0]);
        boolean already = LockSql.isTrue(row[1]);
        boolean got = LockSql.isTrue(row[2]);
        boolean proxied = driverPid != 0 && driverPid != pid;
        Taken last = taken;
        boolean here = last != null && last.on(connection);
        if (proxied && here && last.pid != pid) {
            if (got && !already) {
                LockSql.quietly(connection, release);
            }
            return unusable("backend pid changed from " + last.pid + " to " + pid + " since this connection took "
                    + "the lock");
        }
        if (!got) {
            if (here) {
                taken = null;
            }
            return LockState.NOT_OURS;
        }
        if (already && proxied && !(here && last.pid == pid)) {
            // Another client's lock on a shared backend: not ours to release.
            return unusable("backend pid " + pid + " already holds the lock though this connection never took it, "
                    + "so backends are shared between client connections");
        }
        String[] after = LockSql.firstRow(connection, check);
        int pidAfter = (int) LockSql.number(after[0]);
        if (pidAfter != pid) {
            LockSql.quietly(connection, release);
            return unusable("backend pid changed from " + pid + " to " + pidAfter + " between two statements");
        }
        if (!LockSql.isTrue(after[1])) {
            taken = null;
            problem = "pg_try_advisory_lock(" + key + ") returned true but pg_locks does not show the lock on backend "
                    + "pid " + pid + ": this database does not keep advisory locks (a PostgreSQL-compatible "
                    + "database?), so every replica runs its queries";
            return LockState.UNUSABLE;
        }
        taken = new Taken(connection, pid);
        return LockState.OURS;
    }

    @Override
    public boolean release(Connection connection) throws SQLException {
        Taken last = taken;
        if (last != null && last.on(connection)) {
            taken = null;
        }
        String[] row = LockSql.firstRow(connection, release);
        return LockSql.isTrue(row[0]);
    }

    @Override
    public String problem() {
        return problem;
    }

    /** What to grant or change when the database refuses the lock statement; null for any other failure. */
    static String refusal(SQLException e) {
        String state = e.getSQLState();
        String message = LockSql.firstLine(e.getMessage()) + ", SQLSTATE " + state;
        if ("42501".equals(state)) {
            return "the database user may not take advisory locks (" + message + "): grant it EXECUTE ON FUNCTION "
                    + "pg_catalog.pg_try_advisory_lock(bigint), pg_catalog.pg_advisory_unlock(bigint) and SELECT ON "
                    + "pg_catalog.pg_locks; until then every replica runs its queries";
        }
        if ("42883".equals(state) || "42P01".equals(state) || "0A000".equals(state)) {
            return "this database has no PostgreSQL advisory locks (" + message + "): fleet mode needs "
                    + "pg_try_advisory_lock(bigint) and pg_locks, so every replica runs its queries";
        }
        return null;
    }

    /** The session is not kept on one backend; gives the lock up. */
    private LockState unusable(String what) {
        taken = null;
        problem = "the connection goes through a transaction-pooling proxy (PgBouncer?): " + what + "; session locks "
                + "cannot be trusted there, so every replica runs its queries (connect this datasource to PostgreSQL "
                + "directly or through a pool_mode=session pool for fleet mode)";
        return LockState.PROXY;
    }


    @Override
    public String toString() {
        return key();
    }

    /** The connection (held weakly: it is the host's) and the backend on which the lock was taken. */
    private static final class Taken {
        private final WeakReference<Connection> connection;
        private final int pid;

        Taken(Connection connection, int pid) {
            this.connection = new WeakReference<Connection>(connection);
            this.pid = pid;
        }

        boolean on(Connection other) {
            return connection.get() == other;
        }
    }
}
