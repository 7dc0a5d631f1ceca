package dev.bizmetrics.agent.config;

import java.util.Collections;
import java.util.List;

/** One SQL statement, run on a schedule, feeding one or more metrics. */
public final class QuerySpec {
    private final String id;
    private final String sql;
    private final long intervalMillis;
    private final long timeoutMillis;
    private final String dataSource;
    private final List<MetricSpec> metrics;

    QuerySpec(String id, String sql, long intervalMillis, long timeoutMillis, String dataSource,
              List<MetricSpec> metrics) {
        this.id = id;
        this.sql = sql;
        this.intervalMillis = intervalMillis;
        this.timeoutMillis = timeoutMillis;
        this.dataSource = dataSource;
        this.metrics = Collections.unmodifiableList(metrics);
    }

    /** The query's name in self-metrics: its {@code query.<id>}, or the metric's name for an inline {@code sql}. */
    public String id() {
        return id;
    }

    public String sql() {
        return sql;
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    public String dataSource() {
        return dataSource;
    }

    public List<MetricSpec> metrics() {
        return metrics;
    }

    /** Equal queries keep their schedule and last results across a reload. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof QuerySpec)) {
            return false;
        }
        QuerySpec other = (QuerySpec) o;
        return id.equals(other.id) && sql.equals(other.sql) && intervalMillis == other.intervalMillis
                && timeoutMillis == other.timeoutMillis && dataSource.equals(other.dataSource)
                && metrics.equals(other.metrics);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + sql.hashCode();
    }
}
