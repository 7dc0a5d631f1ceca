package dev.bizmetrics.agent.sql;

/** Placeholder until the dialect-aware check lands. */
public final class StatementCheck {
    private StatementCheck() {
    }

    public static Verdict check(String sql, boolean allowAnySql, Dialect dialect) {
        return checkEveryDialect(sql, allowAnySql);
    }

    public static Verdict checkEveryDialect(String sql, boolean allowAnySql) {
        String text = sql.trim();
        if (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1);
        }
        String upper = text.toUpperCase(java.util.Locale.ROOT);
        boolean query = upper.startsWith("SELECT") || upper.startsWith("WITH") || upper.startsWith("VALUES");
        return new Verdict(text.contains(";") ? "several statements" : null, text, query);
    }
}
