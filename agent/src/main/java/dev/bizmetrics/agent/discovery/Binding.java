package dev.bizmetrics.agent.discovery;

/** Which DataSource a configured name means right now, or why none. */
public final class Binding {
    private final String name;
    private final DataSourceDescription bound;
    private final String explanation;

    Binding(String name, DataSourceDescription bound, String explanation) {
        this.name = name;
        this.bound = bound;
        this.explanation = explanation;
    }

    /** The configured name, e.g. {@code main}. */
    public String name() {
        return name;
    }

    /** The bound DataSource, or null. */
    public DataSourceDescription bound() {
        return bound;
    }

    public boolean isBound() {
        return bound != null;
    }

    /** Why this DataSource was chosen, or why none was. */
    public String explanation() {
        return explanation;
    }
}
