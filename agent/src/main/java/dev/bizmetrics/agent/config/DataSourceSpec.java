package dev.bizmetrics.agent.config;

/** A configured DataSource name: which of the application's DataSources it means. */
public final class DataSourceSpec {
    private final String name;
    private final Selector selector;
    private final int maxConnections;

    public DataSourceSpec(String name, Selector selector, int maxConnections) {
        this.name = name;
        this.selector = selector;
        this.maxConnections = maxConnections;
    }

    public String name() {
        return name;
    }

    /** Which DataSource the name means: {@code datasource.<name>.match}. */
    public Selector selector() {
        return selector;
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
        return name.equals(other.name) && selector.equals(other.selector) && maxConnections == other.maxConnections;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
