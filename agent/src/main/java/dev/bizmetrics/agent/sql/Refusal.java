package dev.bizmetrics.agent.sql;

/**
 * Why a statement is refused, thrown inside the check and turned into a {@link Verdict} at its edge: the lexer
 * and the rules stop at the first finding, and an exception says that with the least plumbing.
 */
final class Refusal extends Exception {

    private static final long serialVersionUID = 1L;

    Refusal(String problem) {
        super(problem, null, false, false);
    }

    String problem() {
        return getMessage();
    }
}
