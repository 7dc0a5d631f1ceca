package dev.bizmetrics.agent.engine;

/** How a run ended; the {@code result} label of {@code bizmetrics_query_runs_total}. */
public enum Outcome {
    SUCCESS("success"), ERROR("error"), TIMEOUT("timeout");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
