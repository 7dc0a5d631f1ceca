package dev.bizmetrics.agent.sql;

/**
 * Whether a configured SQL text is safe to run on the host's connection, by each supported database's lexical
 * rules; used when the configuration is loaded (the database unknown: {@link #checkEveryDialect}) and right before
 * a run (the database known from {@code DatabaseMetaData.getDatabaseProductName()}: {@link #check}).
 *
 * <p>Refused, whatever the text:
 * <ul>
 * <li>more than one statement (any code after a {@code ;}; comments after a final {@code ;} are fine), and
 * anything left open: a string, a quoted name, a comment, a dollar quote;</li>
 * <li>locking reads ({@code FOR UPDATE}, {@code FOR SHARE}, {@code FOR KEY SHARE}, {@code FOR NO KEY UPDATE},
 * {@code LOCK IN SHARE MODE});</li>
 * <li>statements whose effect outlives the run or escapes the transaction ({@code SET}, {@code LOCK},
 * {@code BEGIN}, {@code COMMIT}, {@code DO}, {@code COPY}, {@code KILL}, ..., see {@link StatementRules});</li>
 * <li>the functions of {@link RefusedFunctions};</li>
 * <li>characters the databases disagree on outside strings and comments (Unicode spaces, control and invisible
 * characters), NUL anywhere, and spots where PostgreSQL's JDBC driver would split differently from the server.</li>
 * </ul>
 * and, unless {@code allowAnySql}, anything but a read-only query: the statement must start with SELECT, WITH or
 * VALUES, and no word that changes data, the schema or the transaction, nor INTO, may appear as code.
 *
 * <p>Each dialect is checked under each of its {@link Reading}s, and they must also agree on where the statement
 * ends. Linear in the text's length.
 */
public final class StatementCheck {

    private StatementCheck() {
    }

    /** The check under one dialect (under each of its readings); a null dialect means every dialect. */
    public static Verdict check(String sql, boolean allowAnySql, Dialect dialect) {
        if (dialect == null) {
            return checkEveryDialect(sql, allowAnySql);
        }
        try {
            checkCharacters(sql);
            Inspection.Result agreed = null;
            Reading agreedBy = null;
            boolean isQuery = true;
            int features = Reading.features(sql);
            for (Reading reading : Reading.of(dialect)) {
                if (reading.mayDifferOn != 0 && (reading.mayDifferOn & features) == 0) {
                    // Without the characters this reading treats otherwise, it reads the text as the first did.
                    continue;
                }
                Inspection.Result result = Inspection.inspect(sql, allowAnySql, reading);
                if (agreed == null) {
                    agreed = result;
                    agreedBy = reading;
                } else if (result.end != agreed.end) {
                    throw disagreement(sql, agreedBy.rules(), agreed.end, reading.rules(), result.end);
                }
                isQuery &= result.isQuery;
            }
            return Verdict.passed(statement(sql, agreed.end), isQuery, agreed.end);
        } catch (Refusal refusal) {
            return Verdict.refused(refusal.problem());
        }
    }

    /**
     * Under every dialect: the first refusal, else a passing verdict, whose statement every dialect agrees on. For
     * the configuration, where the database is not known, and for a database the agent does not know.
     */
    public static Verdict checkEveryDialect(String sql, boolean allowAnySql) {
        Verdict agreed = null;
        Dialect agreedBy = null;
        boolean isQuery = true;
        for (Dialect dialect : Dialect.values()) {
            Verdict verdict = check(sql, allowAnySql, dialect);
            if (!verdict.passed()) {
                return verdict;
            }
            if (agreed == null) {
                agreed = verdict;
                agreedBy = dialect;
            } else if (verdict.end != agreed.end) {
                return Verdict.refused(disagreement(sql, agreedBy.displayName() + " rules", agreed.end,
                        dialect.displayName() + " rules", verdict.end).problem());
            }
            isQuery &= verdict.isQuery();
        }
        return Verdict.passed(agreed.statement(), isQuery, agreed.end);
    }

    /** Before any reading: what no database reads the same way, wherever it is. */
    private static void checkCharacters(String sql) throws Refusal {
        if (sql == null || sql.trim().isEmpty()) {
            throw new Refusal("the SQL is empty; write a SELECT statement");
        }
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == 0) {
                // PostgreSQL ends the text at a NUL; other databases read on.
                throw new Refusal("a NUL character at " + Where.at(sql, i) + "; remove it");
            }
            if (Character.isHighSurrogate(c) && i + 1 < sql.length() && Character.isLowSurrogate(sql.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new Refusal("an unpaired surrogate character at " + Where.at(sql, i) + "; remove it");
            }
        }
    }

    private static Refusal disagreement(String sql, String oneRules, int oneEnd, String otherRules, int otherEnd) {
        return new Refusal("the statement ends " + end(sql, oneEnd) + " under " + oneRules + " but "
                + end(sql, otherEnd) + " under " + otherRules
                + "; write it so that every reading agrees (mind backslashes, # and // comments and nested comments)");
    }

    private static String end(String sql, int end) {
        return end >= sql.length() ? "at its end" : "at the ; at " + Where.at(sql, end);
    }

    /** The text before the terminating ; (or all of it), without surrounding whitespace. */
    private static String statement(String sql, int end) {
        int from = 0;
        int to = end;
        while (from < to && Lexer.isPlainSpace(sql.charAt(from))) {
            from++;
        }
        while (to > from && Lexer.isPlainSpace(sql.charAt(to - 1))) {
            to--;
        }
        return sql.substring(from, to);
    }
}
