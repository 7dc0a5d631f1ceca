package dev.bizmetrics.agent.fleet;

import java.sql.Connection;
import java.sql.SQLException;

/** A database session lock for one (fleet, datasource): taken and released on one connection. */
public interface FleetLock {
    String key();

    LockState tryAcquire(Connection connection) throws SQLException;

    boolean release(Connection connection) throws SQLException;

    String problem();

    static FleetLock forDatabase(Connection connection, String fleet, String dataSource) throws SQLException {
        return null;
    }
}
