package dev.bizmetrics.agent.engine;

import java.sql.SQLException;

/**
 * "No such table" and "no such column", as each supported database says them: what a query gets before the
 * application's first deployment created its schema (Flyway, Liquibase, {@code sql.init} still to run).
 */
final class MissingSchema {

    private MissingSchema() {
    }

    /** True when the failure, or an {@link SQLException} in its causes, says a table or column does not exist. */
    static boolean isMissing(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException && says((SQLException) t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean says(SQLException e) {
        String state = e.getSQLState();
        int code = e.getErrorCode();
        if ("42P01".equals(state) || "42703".equals(state)) {
            return true; // PostgreSQL: undefined_table, undefined_column
        }
        if ("42S02".equals(state) || "42S22".equals(state)) {
            return true; // MySQL/MariaDB 1146/1054 and H2 42102/42122 report these states
        }
        if (code == 1146 || code == 1054 || code == 42102 || code == 42122) {
            return true; // the same by vendor code, for drivers that set another state
        }
        String message = e.getMessage();
        return message != null && (message.startsWith("ORA-00942") || message.startsWith("ORA-00904")
                || code == 942 && message.contains("ORA-") || code == 904 && message.contains("ORA-"));
    }
}
