package dev.bizmetrics.agent.state;

import dev.bizmetrics.agent.config.QuerySpec;
import dev.bizmetrics.agent.engine.DropReason;
import dev.bizmetrics.agent.engine.Outcome;
import dev.bizmetrics.agent.engine.QueryResult;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the agent knows of one query: its last run and the totals so far. Immutable; each run replaces it, and only
 * the one thread running the query does so. It belongs to one {@link QuerySpec} instance: a reload that changes the
 * query starts a new state for the new spec, and a late run of the old one cannot store into it
 * ({@link AgentSnapshot#updateQuery}).
 */
public final class QueryState {
    static final int MAX_BACKOFF_FACTOR = 8;

    private final QuerySpec spec;
    private final QueryResult last;
    private final String waitingFor;
    private final Map<Outcome, Long> runs;
    private final long lastSuccessMillis;
    private final int consecutiveFailures;
    private final Map<String, Map<DropReason, Long>> dropped;

    private QueryState(QuerySpec spec, QueryResult last, String waitingFor, Map<Outcome, Long> runs,
                       long lastSuccessMillis, int consecutiveFailures, Map<String, Map<DropReason, Long>> dropped) {
        this.spec = spec;
        this.last = last;
        this.waitingFor = waitingFor;
        this.runs = Collections.unmodifiableMap(runs);
        this.lastSuccessMillis = lastSuccessMillis;
        this.consecutiveFailures = consecutiveFailures;
        this.dropped = Collections.unmodifiableMap(dropped);
    }

    public static QueryState initial(QuerySpec spec) {
        return new QueryState(spec, null, "first run", new EnumMap<Outcome, Long>(Outcome.class), 0L, 0,
                new LinkedHashMap<String, Map<DropReason, Long>>());
    }

    /** The state after a run. */
    public QueryState after(QueryResult result) {
        Map<Outcome, Long> newRuns = new EnumMap<Outcome, Long>(Outcome.class);
        newRuns.putAll(runs);
        newRuns.put(result.outcome(), runs(result.outcome()) + 1);
        Map<String, Map<DropReason, Long>> newDropped = new LinkedHashMap<String, Map<DropReason, Long>>(dropped);
        for (Map.Entry<String, Map<DropReason, Long>> metric : result.dropped().entrySet()) {
            Map<DropReason, Long> counts = new EnumMap<DropReason, Long>(DropReason.class);
            if (dropped.containsKey(metric.getKey())) {
                counts.putAll(dropped.get(metric.getKey()));
            }
            for (Map.Entry<DropReason, Long> reason : metric.getValue().entrySet()) {
                Long before = counts.get(reason.getKey());
                counts.put(reason.getKey(), (before == null ? 0L : before) + reason.getValue());
            }
            newDropped.put(metric.getKey(), Collections.unmodifiableMap(counts));
        }
        boolean success = result.outcome() == Outcome.SUCCESS;
        int failures = success ? 0 : result.isConnectionFailure() || awaitsSchema(result) ? consecutiveFailures
                : consecutiveFailures + 1;
        return new QueryState(spec, result, null, newRuns, success ? result.startedMillis() : lastSuccessMillis,
                failures, newDropped);
    }

    /**
     * True when this run found no table or column of the query and the query never succeeded: its schema is still
     * to be created (a first deployment). Such a run is retried at the interval, without back-off.
     */
    public boolean awaitsSchema(QueryResult result) {
        return result.isMissingSchema() && lastSuccessMillis == 0L;
    }

    /**
     * How long after the start of its last run the query runs next: its interval after a success (or while it awaits
     * its schema), doubling while failures go on, up to {@value #MAX_BACKOFF_FACTOR} times it.
     */
    public long nextDelayMillis() {
        if (consecutiveFailures == 0) {
            return spec.intervalMillis();
        }
        long factor = Math.min(1L << Math.min(consecutiveFailures - 1, 30), MAX_BACKOFF_FACTOR);
        return spec.intervalMillis() * factor;
    }

    /** The state while the query cannot run, e.g. its DataSource is not bound yet. */
    public QueryState waiting(String reason) {
        return new QueryState(spec, last, reason, runs, lastSuccessMillis, consecutiveFailures, dropped);
    }

    public QuerySpec spec() {
        return spec;
    }

    /** The last run, or null before the first. */
    public QueryResult last() {
        return last;
    }

    /** Why the query is not running now, or null when it runs. */
    public String waitingFor() {
        return waitingFor;
    }

    public long runs(Outcome outcome) {
        Long count = runs.get(outcome);
        return count == null ? 0L : count;
    }

    /** Epoch millis of the last successful run, 0 if none. */
    public long lastSuccessMillis() {
        return lastSuccessMillis;
    }

    /** Failed runs in a row that reached the database; they set the back-off. */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Rows dropped so far, by metric and reason. */
    public Map<String, Map<DropReason, Long>> dropped() {
        return dropped;
    }
}
