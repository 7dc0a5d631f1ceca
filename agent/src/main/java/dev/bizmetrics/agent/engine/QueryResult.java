package dev.bizmetrics.agent.engine;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One run of a query: how it ended and, when it succeeded, the metric snapshots it produced. Immutable. */
public final class QueryResult {
    private final Outcome outcome;
    private final long startedMillis;
    private final double durationSeconds;
    private final int rows;
    private final String error;
    private final List<MetricSnapshot> snapshots;
    private final Map<String, Map<DropReason, Long>> dropped;
    private final boolean connectionFailure;
    private final boolean missingSchema;

    private QueryResult(Outcome outcome, long startedMillis, double durationSeconds, int rows, String error,
                        List<MetricSnapshot> snapshots, Map<String, Map<DropReason, Long>> dropped,
                        boolean connectionFailure) {
        this(outcome, startedMillis, durationSeconds, rows, error, snapshots, dropped, connectionFailure, false);
    }

    private QueryResult(Outcome outcome, long startedMillis, double durationSeconds, int rows, String error,
                        List<MetricSnapshot> snapshots, Map<String, Map<DropReason, Long>> dropped,
                        boolean connectionFailure, boolean missingSchema) {
        this.outcome = outcome;
        this.startedMillis = startedMillis;
        this.durationSeconds = durationSeconds;
        this.rows = rows;
        this.error = error;
        this.snapshots = Collections.unmodifiableList(snapshots);
        this.dropped = Collections.unmodifiableMap(dropped);
        this.connectionFailure = connectionFailure;
        this.missingSchema = missingSchema;
    }

    static QueryResult success(long startedMillis, double durationSeconds, MappedRows mapped) {
        return new QueryResult(Outcome.SUCCESS, startedMillis, durationSeconds, mapped.rows(), null,
                mapped.snapshots(), mapped.dropped(), false);
    }

    /** The query ran and failed, or timed out. */
    public static QueryResult failure(Outcome outcome, long startedMillis, double durationSeconds, String error) {
        return new QueryResult(outcome, startedMillis, durationSeconds, 0, error,
                Collections.<MetricSnapshot>emptyList(), Collections.<String, Map<DropReason, Long>>emptyMap(), false);
    }

    /** The database said a table or column of the query does not exist (yet). */
    public static QueryResult missingSchema(long startedMillis, double durationSeconds, String error) {
        return new QueryResult(Outcome.ERROR, startedMillis, durationSeconds, 0, error,
                Collections.<MetricSnapshot>emptyList(), Collections.<String, Map<DropReason, Long>>emptyMap(), false,
                true);
    }

    /** The application's threads waited for connections for the whole timeout: the run borrowed none. */
    public static QueryResult busy(long startedMillis, double durationSeconds, String error) {
        return new QueryResult(Outcome.BUSY, startedMillis, durationSeconds, 0, error,
                Collections.<MetricSnapshot>emptyList(), Collections.<String, Map<DropReason, Long>>emptyMap(), true);
    }

    /** No connection could be had: the query never reached the database. */
    public static QueryResult connectionFailure(long startedMillis, double durationSeconds, String error) {
        return new QueryResult(Outcome.ERROR, startedMillis, durationSeconds, 0, error,
                Collections.<MetricSnapshot>emptyList(), Collections.<String, Map<DropReason, Long>>emptyMap(), true);
    }

    public Outcome outcome() {
        return outcome;
    }

    public long startedMillis() {
        return startedMillis;
    }

    public double durationSeconds() {
        return durationSeconds;
    }

    /** Rows the query returned (0 when it failed). */
    public int rows() {
        return rows;
    }

    /** The error of a failed run, with the driver's message; null on success. */
    public String error() {
        return error;
    }

    /** The metrics of a successful run; empty for a failed one, so failed metrics vanish from /metrics. */
    public List<MetricSnapshot> snapshots() {
        return snapshots;
    }

    /**
     * True when the run failed for want of a connection. Such failures do not back the query off: the query put no
     * load on the database, and its metrics should return as soon as the database does.
     */
    public boolean isConnectionFailure() {
        return connectionFailure;
    }

    /**
     * True when the run failed because a table or column does not exist: before a query's first success that is
     * a schema still to be created (a first deployment), which neither backs the query off nor warns.
     */
    public boolean isMissingSchema() {
        return missingSchema;
    }

    /** Rows dropped in this run, by metric name and reason. */
    public Map<String, Map<DropReason, Long>> dropped() {
        return dropped;
    }

    static Map<DropReason, Long> emptyDrops() {
        return new EnumMap<DropReason, Long>(DropReason.class);
    }
}
