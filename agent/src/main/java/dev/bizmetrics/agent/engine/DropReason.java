package dev.bizmetrics.agent.engine;

/** Why a row became no series; the {@code reason} label of {@code bizmetrics_series_dropped_total}. */
public enum DropReason {
    NULL_VALUE("null_value"), BAD_VALUE("bad_value"), DUPLICATE("duplicate"), MAX_SERIES("max_series"),
    /** A label value longer than {@link RowMapper#MAX_LABEL_LENGTH} characters. */
    LABEL_TOO_LONG("label_too_long");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
