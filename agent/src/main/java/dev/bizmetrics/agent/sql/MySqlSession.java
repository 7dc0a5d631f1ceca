package dev.bizmetrics.agent.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MariaDB and MySQL. The server-side bound is part of the statement itself, so it needs no session setting:
 * MariaDB's {@code SET STATEMENT max_statement_time=..., lock_wait_timeout=..., innodb_lock_wait_timeout=... FOR},
 * MySQL's {@code MAX_EXECUTION_TIME} optimizer hint. A rollback does not undo user variables: those the session has
 * are listed before and after the run (MariaDB's {@code information_schema.USER_VARIABLES}, MySQL's
 * {@code performance_schema.user_variables_by_thread}), and a new or changed one is put back. User locks
 * ({@code GET_LOCK}) cannot be listed without a plugin; the statement check refuses the functions that take them.
 */
final class MySqlSession extends SessionGuard {

    private static final String MARIADB_VARIABLES = "SELECT VARIABLE_NAME, VARIABLE_VALUE, VARIABLE_TYPE "
            + "FROM information_schema.USER_VARIABLES";
    private static final String MYSQL_VARIABLES = "SELECT VARIABLE_NAME, VARIABLE_VALUE, 'STRING' "
            + "FROM performance_schema.user_variables_by_thread WHERE THREAD_ID = PS_CURRENT_THREAD_ID()";

    private final boolean mariaDb;

    MySqlSession(boolean mariaDb) {
        this.mariaDb = mariaDb;
    }

    @Override
    public Dialect dialect() {
        return Dialect.MYSQL;
    }

    @Override
    public String toRun(Verdict verdict, long timeoutMillis) {
        if (!verdict.isQuery()) {
            return verdict.statement();
        }
        if (mariaDb) {
            long lockSeconds = Math.max(1, (lockWaitMillis(timeoutMillis) + 999) / 1000);
            return "SET STATEMENT max_statement_time=" + String.format(Locale.ROOT, "%.3f", timeoutMillis / 1000.0)
                    + ", lock_wait_timeout=" + lockSeconds + ", innodb_lock_wait_timeout=" + lockSeconds + " FOR "
                    + wrap(verdict.statement());
        }
        return "SELECT /*+ MAX_EXECUTION_TIME(" + timeoutMillis + ") */ * FROM (\n" + verdict.statement() + WRAP_END;
    }

    /** Name → {name, value, type} of the session's user variables; null when the server does not list them. */
    @Override
    public Object before(Connection connection, long timeoutMillis) {
        return listing(connection, mariaDb ? MARIADB_VARIABLES : MYSQL_VARIABLES, 3);
    }

    @Override
    public List<String> after(Connection connection, Object before) throws SQLException {
        @SuppressWarnings("unchecked")
        Map<String, String[]> was = (Map<String, String[]>) before;
        Map<String, String[]> now = listing(connection, mariaDb ? MARIADB_VARIABLES : MYSQL_VARIABLES, 3);
        if (was == null || now == null) {
            return Collections.emptyList();
        }
        List<String> undone = new ArrayList<String>();
        for (Map.Entry<String, String[]> variable : now.entrySet()) {
            String[] old = was.get(variable.getKey());
            if (old == null) {
                execute(connection, "SET @" + quoted(variable.getKey()) + " = NULL");
                undone.add("user variable @" + variable.getKey() + " (set to NULL again)");
            } else if (!same(old, variable.getValue())) {
                execute(connection, "SET @" + quoted(variable.getKey()) + " = " + literal(old));
                undone.add("user variable @" + variable.getKey() + " (its value restored)");
            }
        }
        return undone;
    }

    /** Rows of {name, value, type}: the same value of the same type. */
    private static boolean same(String[] a, String[] b) {
        return (a[1] == null ? b[1] == null : a[1].equals(b[1])) && (a[2] == null ? b[2] == null : a[2].equals(b[2]));
    }

    private static String literal(String[] variable) {
        String value = variable[1];
        String type = variable[2] == null ? "" : variable[2].toUpperCase(Locale.ROOT);
        if (value == null) {
            return "NULL";
        }
        if ((type.equals("INT") || type.equals("DECIMAL") || type.equals("DOUBLE") || type.equals("REAL"))
                && value.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
