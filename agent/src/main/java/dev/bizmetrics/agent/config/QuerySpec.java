package dev.bizmetrics.agent.config;

import java.util.Collections;
import java.util.List;

/** One SQL statement, run on a schedule, feeding one or more metrics. */
public final class QuerySpec {
    private final String id;
    private final String sql;
    private final String shownSql;
    private final Redaction redaction;
    private final long intervalMillis;
    private final long timeoutMillis;
    private final String dataSource;
    private final List<MetricSpec> metrics;
    private final boolean allowAnySql;
    private final Scope scope;

    QuerySpec(String id, String sql, String shownSql, Redaction redaction, long intervalMillis, long timeoutMillis,
              String dataSource, List<MetricSpec> metrics, boolean allowAnySql, Scope scope) {
        this.id = id;
        this.sql = sql;
        this.shownSql = shownSql;
        this.redaction = redaction;
        this.intervalMillis = intervalMillis;
        this.timeoutMillis = timeoutMillis;
        this.dataSource = dataSource;
        this.metrics = Collections.unmodifiableList(metrics);
        this.allowAnySql = allowAnySql;
        this.scope = scope;
    }

    /** The query's name in self-metrics: its {@code query.<id>}, or the metric's name for an inline {@code sql}. */
    public String id() {
        return id;
    }

    /** The SQL to run, placeholders resolved. */
    public String sql() {
        return sql;
    }

    /** The SQL as written, with its {@code ${NAME}} placeholders: what pages and messages show. */
    public String shownSql() {
        return shownSql;
    }

    /**
     * Takes the placeholders' values back out of a message about this query, such as a driver's error that quotes
     * the SQL it ran.
     */
    public String redact(String message) {
        return redaction.apply(message);
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

    /** {@code allow-any-sql}: statements other than queries may run (the rest of the guard still holds). */
    public boolean allowAnySql() {
        return allowAnySql;
    }

    /** {@code scope}: whether the query runs on the fleet's leader only or on every replica. */
    public Scope scope() {
        return scope;
    }

    /** What the query computes and exposes, as text: what a derived fleet name is made of. */
    String definition() {
        StringBuilder text = new StringBuilder();
        text.append(id).append('\u0000').append(sql).append('\u0000').append(intervalMillis).append('\u0000')
                .append(timeoutMillis);
        for (MetricSpec metric : metrics) {
            text.append('\u0000').append(metric.definition());
        }
        return text.toString();
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
                && metrics.equals(other.metrics) && allowAnySql == other.allowAnySql && scope == other.scope;
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + sql.hashCode();
    }
}
