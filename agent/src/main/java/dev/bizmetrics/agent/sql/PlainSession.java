package dev.bizmetrics.agent.sql;

/**
 * Oracle, and databases of unknown rules. Oracle's own guards are its drivers': ojdbc refuses several statements in
 * one call, and it has no session timeout to set per statement. An unknown database's query is not wrapped (SQL
 * Server, say, refuses an {@code ORDER BY} in a derived table); its text is checked under every dialect instead.
 */
final class PlainSession extends SessionGuard {

    private final Dialect dialect;

    PlainSession(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public String toRun(Verdict verdict, long timeoutMillis) {
        return dialect == null ? verdict.statement() : super.toRun(verdict, timeoutMillis);
    }
}
