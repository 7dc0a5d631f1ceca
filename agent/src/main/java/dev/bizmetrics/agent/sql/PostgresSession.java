package dev.bizmetrics.agent.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL. {@code SET LOCAL statement_timeout} and {@code lock_timeout} bound the query on the server and end with
 * the transaction. A rollback undoes every setting, so what can outlive the run is a session-level advisory lock:
 * the locks the connection holds are listed before and after the run, and any new one is released.
 *
 * <p>Plain statements with literals only, never prepared ones: pgjdbc would keep a server-side prepared statement on
 * the host's connection after a few runs.
 */
final class PostgresSession extends SessionGuard {

    /** One row per advisory lock this backend holds: {@code classid:objid:objsubid:mode}, comma-separated. */
    private static final String ADVISORY_LOCKS = "(SELECT string_agg(classid || ':' || objid || ':' || objsubid || ':' "
            + "|| mode, ',' ORDER BY classid, objid, objsubid, mode) FROM pg_catalog.pg_locks "
            + "WHERE locktype = 'advisory' AND pid = pg_catalog.pg_backend_pid() AND granted)";
    /** Enough for any lock a query could have taken repeatedly within its timeout, and bounded. */
    private static final int MAX_RELEASES = 1000;

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    public Object before(Connection connection, long timeoutMillis) throws SQLException {
        return query(connection, "SELECT pg_catalog.set_config('statement_timeout', '" + timeoutMillis + "', true), "
                + "pg_catalog.set_config('lock_timeout', '" + lockWaitMillis(timeoutMillis) + "', true), "
                + ADVISORY_LOCKS, 3);
    }

    @Override
    public List<String> after(Connection connection, Object before) throws SQLException {
        Set<String> held = locks(query(connection, "SELECT " + ADVISORY_LOCKS, 1));
        held.removeAll(locks((String) before));
        if (held.isEmpty()) {
            return Collections.emptyList();
        }
        List<String> released = new ArrayList<String>();
        for (String lock : held) {
            released.add("advisory lock " + release(connection, lock));
        }
        return released;
    }

    /** Releases a lock as often as it is held; returns it as a user would write it. */
    private static String release(Connection connection, String lock) throws SQLException {
        String[] part = lock.split(":");
        long classId = Long.parseLong(part[0]);
        long objId = Long.parseLong(part[1]);
        // objsubid 1: one bigint key split in two oids; 2: two int4 keys (oids, wrapped from signed ints).
        String key = part[2].equals("1") ? String.valueOf(classId << 32 | objId)
                : (int) classId + ", " + (int) objId;
        String unlock = "SELECT pg_catalog.pg_advisory_unlock" + (part[3].equals("ShareLock") ? "_shared(" : "(")
                + key + ")";
        for (int i = 0; i < MAX_RELEASES && isTrue(query(connection, unlock, 1)); i++) {
            // released once more
        }
        return "(" + key + ", " + part[3] + ")";
    }

    private static boolean isTrue(String value) {
        return "t".equals(value) || "true".equals(value);
    }

    private static Set<String> locks(String list) {
        return list == null || list.isEmpty() ? new LinkedHashSet<String>()
                : new LinkedHashSet<String>(Arrays.asList(list.split(",")));
    }

    /** The text of column {@code column} of the one row a statement returns. */
    private static String query(Connection connection, String sql, int column) throws SQLException {
        Statement statement = connection.createStatement();
        try {
            ResultSet rs = statement.executeQuery(sql);
            return rs.next() ? rs.getString(column) : null;
        } finally {
            statement.close();
        }
    }
}
