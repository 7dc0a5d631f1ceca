package dev.bizmetrics.agent.sql;

/** Placeholder until the dialect-aware check lands. */
public final class Verdict {
    private final String problem;
    private final String statement;
    private final boolean query;

    Verdict(String problem, String statement, boolean query) {
        this.problem = problem;
        this.statement = statement;
        this.query = query;
    }

    public boolean passed() {
        return problem == null;
    }

    public String problem() {
        return problem;
    }

    public String statement() {
        return statement;
    }

    public boolean isQuery() {
        return query;
    }
}
