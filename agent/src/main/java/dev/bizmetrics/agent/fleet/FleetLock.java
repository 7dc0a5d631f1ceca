package dev.bizmetrics.agent.fleet;

import dev.bizmetrics.agent.sql.Dialect;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/**
 * A database session lock for one (fleet, datasource): taken and released on one connection.
 *
 * <p>Use one instance per (fleet, datasource) for as long as the lock is held, from one thread at a time: it
 * remembers on which connection and backend it took the lock, which is how it sees a session move between backends.
 */
public interface FleetLock {

    /** The lock as a DBA would look it up: e.g. "pg_advisory_lock(1234567890123)" or "GET_LOCK('bizmetrics.shop.main')". */
    String key();

    /**
     * Tries once, without waiting (timeout 0). OURS also when this session holds it already. PROXY when the
     * connection goes through a transaction-pooling proxy such as PgBouncer, UNUSABLE when the lock cannot be used
     * otherwise (the function not granted, ...); then {@link #problem()} says why in one sentence a user can act on. Throws SQLException when
     * the connection fails.
     */
    LockState tryAcquire(Connection connection) throws SQLException;

    /** Releases it on this connection; true when it was held and is now released. */
    boolean release(Connection connection) throws SQLException;

    /** Why the last tryAcquire returned UNUSABLE, or null. */
    String problem();

    /**
     * The lock for the database behind this connection (by DatabaseMetaData product name: PostgreSQL, MySQL, MariaDB),
     * or null when the database has no lock we use (H2, Oracle, SQL Server, anything else).
     */
    static FleetLock forDatabase(Connection connection, String fleet, String dataSource) throws SQLException {
        if (fleet == null || dataSource == null) {
            throw new IllegalArgumentException("a fleet lock needs a fleet name and a datasource name");
        }
        DatabaseMetaData meta = connection.getMetaData();
        Dialect dialect = Dialect.fromProductName(meta.getDatabaseProductName());
        if (dialect == Dialect.POSTGRESQL) {
            return new PostgresFleetLock(fleet, dataSource);
        }
        if (dialect == Dialect.MYSQL) {
            return new MySqlFleetLock(fleet, dataSource);
        }
        return null;
    }
}
