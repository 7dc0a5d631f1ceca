package dev.bizmetrics.agent.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One statement of a lock attempt on the host's connection, leaving the connection as the pool lent it: a plain
 * {@code Statement} (a prepared one would stay on the server with pgjdbc), literals only, a query timeout, and a
 * rollback afterwards when auto-commit is off, so that no transaction stays open. Session locks outlive the rollback;
 * nothing else is changed, so nothing else is restored.
 */
final class LockSql {

    /** Seconds a lock statement may take: they never wait for a lock, so only a sick server takes this long. */
    static final int TIMEOUT_SECONDS = 5;

    private LockSql() {
    }

    /** The first row of a query as text (SQL NULL as null); a query without a row is a failure of the connection. */
    static String[] firstRow(Connection connection, String sql) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        String[] row;
        try {
            row = query(connection, sql);
        } catch (SQLException e) {
            if (!autoCommit) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
            }
            throw e;
        }
        if (!autoCommit) {
            connection.rollback();
        }
        return row;
    }

    private static String[] query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(TIMEOUT_SECONDS);
            try (ResultSet rs = statement.executeQuery(sql)) {
                if (!rs.next()) {
                    throw new SQLException("the lock statement returned no row (" + sql + ")");
                }
                String[] row = new String[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getString(i + 1);
                }
                return row;
            }
        }
    }

    /** A boolean column as PostgreSQL ("t", "true") or MySQL ("1") writes it. */
    /** Runs a statement whose failure changes nothing: a best-effort release; the lock goes with its session. */
    static void quietly(Connection connection, String sql) {
        try {
            firstRow(connection, sql);
        } catch (SQLException e) {
            // the session that holds the lock frees it when it ends
        }
    }

    static boolean isTrue(String value) {
        return "t".equals(value) || "true".equals(value) || "1".equals(value);
    }

    /** A whole-number column; 0 for SQL NULL. */
    static long number(String value) {
        return value == null ? 0 : Long.parseLong(value.trim());
    }

    /** The first line of a driver's message (pgjdbc adds hints and positions on lines of their own). */
    static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).trim();
    }

    /** SHA-256 of the lock's identity, from which both databases' lock names are derived. */
    static byte[] digest(String fleet, String dataSource) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(("bizmetrics fleet|" + fleet + "|" + dataSource).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
