package dev.bizmetrics.agent.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * H2, embedded or over TCP. Its {@code INFORMATION_SCHEMA.SESSION_STATE} lists the session's variables and settings
 * as the statements that would set them again: it is read before and after the run, a variable the query set is
 * removed and anything it changed is set back with the statement listed before. The statement timeout is
 * {@code setQueryTimeout}'s, which H2 enforces in the database.
 */
final class H2Session extends SessionGuard {

    /** Its columns are STATE_KEY and STATE_COMMAND in H2 2, KEY and SQL in 1.4. */
    private static final String SESSION_STATE = "SELECT * FROM INFORMATION_SCHEMA.SESSION_STATE";

    @Override
    public Dialect dialect() {
        return Dialect.H2;
    }

    /** Key → {key, the statement that sets it}; null on an H2 without SESSION_STATE (1.4). */
    @Override
    public Object before(Connection connection, long timeoutMillis) {
        return listing(connection, SESSION_STATE, 2);
    }

    @Override
    public List<String> after(Connection connection, Object before) throws SQLException {
        @SuppressWarnings("unchecked")
        Map<String, String[]> was = (Map<String, String[]>) before;
        Map<String, String[]> now = listing(connection, SESSION_STATE, 2);
        if (was == null || now == null) {
            return Collections.emptyList();
        }
        List<String> undone = new ArrayList<String>();
        for (Map.Entry<String, String[]> entry : now.entrySet()) {
            String old = was.containsKey(entry.getKey()) ? was.get(entry.getKey())[1] : null;
            if (old == null && entry.getKey().startsWith("@")) {
                execute(connection, "SET " + entry.getKey() + " NULL");
                undone.add("session variable " + entry.getKey() + " (removed)");
            } else if (old != null && !old.equals(entry.getValue()[1])) {
                execute(connection, old);
                undone.add("session state " + entry.getKey() + " (set back)");
            } else if (old == null) {
                undone.add("session state " + entry.getKey() + " (new; H2 cannot remove it)");
            }
        }
        return undone;
    }
}
