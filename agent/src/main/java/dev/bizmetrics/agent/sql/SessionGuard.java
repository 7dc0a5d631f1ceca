package dev.bizmetrics.agent.sql;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the database itself is made to enforce around one run of a query, and how the host's connection is put back
 * as the pool lent it. The statement check is the first line; these hold when a check of ours is wrong:
 * <ul>
 *   <li>a query is sent wrapped as {@code SELECT * FROM (<query>) bizmetrics_q}, so that a second statement the
 *   check missed is a syntax error of the first, and drivers that split statements (pgjdbc, H2) or send them
 *   together (MariaDB with {@code allowMultiQueries}) run nothing;</li>
 *   <li>a server-side statement timeout and lock timeout where the database has them, so that a query stops on the
 *   server even when the host dies mid-run;</li>
 *   <li>after the run, session state the query left (a session lock, a user variable) is found and undone.</li>
 * </ul>
 * Stateless: one per run, chosen by the connection's database.
 */
public abstract class SessionGuard {

    /** Alias of the wrapped query; the newlines keep a trailing {@code --} comment of the query inside. */
    static final String WRAP_START = "SELECT * FROM (\n";
    static final String WRAP_END = "\n) bizmetrics_q";
    /** How long a query may wait for a lock on the server, at most: never long enough to queue the host behind it. */
    static final long MAX_LOCK_WAIT_MILLIS = 2000;

    /** The guard for the database behind this connection. Reads the driver's metadata, no round trip on the drivers tried. */
    public static SessionGuard of(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String product = meta.getDatabaseProductName();
        Dialect dialect = Dialect.fromProductName(product);
        if (dialect == Dialect.POSTGRESQL) {
            return new PostgresSession();
        }
        if (dialect == Dialect.MYSQL) {
            String version = meta.getDatabaseProductVersion();
            boolean mariaDb = (product + " " + version).toLowerCase(Locale.ROOT).contains("mariadb");
            return new MySqlSession(mariaDb);
        }
        if (dialect == Dialect.H2) {
            return new H2Session();
        }
        return new PlainSession(dialect);
    }

    /** The rules the statement check applies; null for a database of unknown rules: every dialect's apply. */
    public abstract Dialect dialect();

    /** The statement check under this database's rules. */
    public final Verdict check(String sql, boolean allowAnySql) {
        Dialect dialect = dialect();
        return dialect == null ? StatementCheck.checkEveryDialect(sql, allowAnySql)
                : StatementCheck.check(sql, allowAnySql, dialect);
    }

    /** The text to send for a statement that passed the check. */
    public String toRun(Verdict verdict, long timeoutMillis) {
        return verdict.isQuery() ? wrap(verdict.statement()) : verdict.statement();
    }

    static String wrap(String query) {
        return WRAP_START + query + WRAP_END;
    }

    /**
     * Inside the run's read-only transaction, before the statement: sets the server-side bounds and notes the session
     * state to compare after the run. Returns what {@link #after} compares with, or null.
     */
    public Object before(Connection connection, long timeoutMillis) throws SQLException {
        return null;
    }

    /**
     * After the run's rollback: finds what the statement left on the session that a rollback does not undo, and
     * undoes it. Returns a description of each thing undone (empty when the session is as it was).
     */
    public List<String> after(Connection connection, Object before) throws SQLException {
        return Collections.emptyList();
    }

    /** Runs a statement of the guard's own on the run's connection, e.g. one that puts session state back. */
    static void execute(Connection connection, String sql) throws SQLException {
        Statement statement = connection.createStatement();
        try {
            statement.execute(sql);
        } finally {
            statement.close();
        }
    }

    /**
     * A listing of session state, by its first column, each row's first {@code columns} columns as text; null when the
     * database does not list it (an older version, a plugin not loaded, performance_schema off).
     */
    static Map<String, String[]> listing(Connection connection, String sql, int columns) {
        try {
            Statement statement = connection.createStatement();
            try {
                ResultSet rs = statement.executeQuery(sql);
                Map<String, String[]> rows = new LinkedHashMap<String, String[]>();
                while (rs.next()) {
                    String[] row = new String[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    rows.put(row[0], row);
                }
                return rows;
            } finally {
                statement.close();
            }
        } catch (SQLException e) {
            return null;
        }
    }

    static long lockWaitMillis(long timeoutMillis) {
        return Math.max(1, Math.min(timeoutMillis, MAX_LOCK_WAIT_MILLIS));
    }
}
