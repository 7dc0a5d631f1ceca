package dev.bizmetrics.agent.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * H2, embedded or over TCP. Its {@code INFORMATION_SCHEMA.SESSION_STATE} lists the session's variables and settings
 * as the statements that would set them again: it is read before and after the run, a variable the query set is
 * removed and anything it changed is set back with the statement listed before. The statement timeout is
 * {@code setQueryTimeout}'s, which H2 enforces in the database.
 */
final class H2Session extends SessionGuard {

    private static final String SESSION_STATE = "SELECT KEY, SQL FROM INFORMATION_SCHEMA.SESSION_STATE";

    @Override
    public Dialect dialect() {
        return Dialect.H2;
    }

    @Override
    public Object before(Connection connection, long timeoutMillis) {
        return state(connection);
    }

    @Override
    public List<String> after(Connection connection, Object before) throws SQLException {
        @SuppressWarnings("unchecked")
        Map<String, String> was = (Map<String, String>) before;
        Map<String, String> now = state(connection);
        if (was == null || now == null) {
            return Collections.emptyList();
        }
        List<String> undone = new ArrayList<String>();
        for (Map.Entry<String, String> entry : now.entrySet()) {
            String old = was.get(entry.getKey());
            if (old == null && entry.getKey().startsWith("@")) {
                execute(connection, "SET " + entry.getKey() + " NULL");
                undone.add("session variable " + entry.getKey() + " (removed)");
            } else if (old != null && !old.equals(entry.getValue())) {
                execute(connection, old);
                undone.add("session state " + entry.getKey() + " (set back)");
            } else if (old == null) {
                undone.add("session state " + entry.getKey() + " (new; H2 cannot remove it)");
            }
        }
        return undone;
    }

    /** Key → statement that sets it; null on an H2 without SESSION_STATE (1.4). */
    private static Map<String, String> state(Connection connection) {
        try {
            Statement statement = connection.createStatement();
            try {
                ResultSet rs = statement.executeQuery(SESSION_STATE);
                Map<String, String> state = new LinkedHashMap<String, String>();
                while (rs.next()) {
                    state.put(rs.getString(1), rs.getString(2));
                }
                return state;
            } finally {
                statement.close();
            }
        } catch (SQLException e) {
            return null;
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        Statement statement = connection.createStatement();
        try {
            statement.execute(sql);
        } finally {
            statement.close();
        }
    }
}
