package dev.bizmetrics.agent.config;

/** A configured DataSource name: which of the application's DataSources it means. */
public final class DataSourceSpec {
    private final String name;
    private final String match;
    private final int maxConnections;

    public DataSourceSpec(String name, String match, int maxConnections) {
        this.name = name;
        this.match = match;
        this.maxConnections = maxConnections;
    }

    public String name() {
        return name;
    }

    /** {@code auto}, {@code pool:NAME}, {@code url:REGEX}, {@code class:NAME} or {@code jndi:NAME}. */
    public String match() {
        return match;
    }

    public int maxConnections() {
        return maxConnections;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DataSourceSpec)) {
            return false;
        }
        DataSourceSpec other = (DataSourceSpec) o;
        return name.equals(other.name) && match.equals(other.match) && maxConnections == other.maxConnections;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
