package dev.bizmetrics.agent.engine;

/**
 * How a run ended; the {@code result} label of {@code bizmetrics_query_runs_total}. {@code busy}: the application's
 * threads were waiting for connections of the pool for the whole timeout, so the run borrowed none.
 */
public enum Outcome {
    SUCCESS("success"), ERROR("error"), TIMEOUT("timeout"), BUSY("busy");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
