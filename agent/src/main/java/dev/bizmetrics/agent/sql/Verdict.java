package dev.bizmetrics.agent.sql;

/** What the statement check found: passed, with the statement to run, or refused, with why. Immutable. */
public final class Verdict {

    /** A problem is cut at this length, so that one always fits a log line or a status page. */
    static final int MAX_PROBLEM_LENGTH = 300;

    private final boolean passed;
    private final String problem;
    private final String statement;
    private final boolean isQuery;
    /** Where the statement ends in the checked text: its terminating ; or the text's length; -1 when refused. */
    final int end;

    private Verdict(boolean passed, String problem, String statement, boolean isQuery, int end) {
        this.passed = passed;
        this.problem = problem;
        this.statement = statement;
        this.isQuery = isQuery;
        this.end = end;
    }

    static Verdict passed(String statement, boolean isQuery, int end) {
        return new Verdict(true, null, statement, isQuery, end);
    }

    static Verdict refused(String problem) {
        String shown = problem.length() <= MAX_PROBLEM_LENGTH ? problem
                : problem.substring(0, MAX_PROBLEM_LENGTH - 1) + "\u2026";
        return new Verdict(false, shown, null, false, -1);
    }

    public boolean passed() {
        return passed;
    }

    /**
     * Why it is refused, for a user: names the dialect whose rules found it, the thing found and where, and what to
     * do. Null when passed.
     */
    public String problem() {
        return problem;
    }

    /**
     * When passed: the statement text to run, the SQL without its terminating {@code ;} and without what follows it
     * (only whitespace and comments may), and without leading and trailing whitespace. Null when refused.
     */
    public String statement() {
        return statement;
    }

    /**
     * True when the statement is a query the runner may wrap as {@code SELECT * FROM (\n<statement>\n) bizmetrics_q}:
     * it starts, after comments and opening parentheses, with SELECT, WITH or VALUES.
     */
    public boolean isQuery() {
        return isQuery;
    }

    @Override
    public String toString() {
        return passed ? "passed" + (isQuery ? " (query)" : "") + ": " + statement : "refused: " + problem;
    }
}
