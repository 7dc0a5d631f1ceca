package dev.bizmetrics.agent.engine;

import dev.bizmetrics.agent.config.AgentConfig;
import dev.bizmetrics.agent.config.DataSourceSpec;
import dev.bizmetrics.agent.config.QuerySpec;
import dev.bizmetrics.agent.discovery.Binding;
import dev.bizmetrics.agent.discovery.Discovery;
import dev.bizmetrics.agent.log.Log;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs every query on its interval, never on the scrape thread. One timer thread keeps time; each configured
 * DataSource has its own query threads, as many as its {@code max-connections}, so a slow database holds up only
 * its own queries and the agent never borrows more connections than that from the host's pool. A query's next
 * run is planned when its run ends, so runs of one query never overlap; a failing query backs off.
 *
 * <p>A new configuration is applied in place: a query whose definition did not change keeps its schedule and its
 * last results; removed queries stop and their metrics disappear.
 */
public final class QueryScheduler {

    static final long BINDING_RECHECK_MILLIS = 1000L;
    private static final int MAX_BACKOFF_FACTOR = 8;

    private final Discovery discovery;
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService cancels;
    private final QueryRunner runner;
    private final ConcurrentMap<String, QueryState> states = new ConcurrentHashMap<String, QueryState>();
    private final Map<String, ExecutorService> workers = new ConcurrentHashMap<String, ExecutorService>();
    /** Guarded by this. */
    private final Map<String, ScheduledQuery> scheduled = new LinkedHashMap<String, ScheduledQuery>();
    private volatile AgentConfig config;

    public QueryScheduler(Discovery discovery) {
        this.discovery = discovery;
        this.timer = new ScheduledThreadPoolExecutor(1, new DaemonThreads("scheduler"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.cancels = Executors.newCachedThreadPool(new DaemonThreads("cancel"));
        this.runner = new QueryRunner(timer, cancels);
    }

    /** The timer thread, for the agent's other periodic chores (they must be quick). */
    public ScheduledExecutorService timer() {
        return timer;
    }

    /** Starts discovery; queries start with the first {@link #apply}. */
    public void start() {
        timer.scheduleWithFixedDelay(new Runnable() {
            @Override
            public void run() {
                AgentConfig current = config;
                if (current == null) {
                    return;
                }
                try {
                    discovery.refresh(current.dataSources());
                } catch (Throwable t) {
                    Log.error("DataSource discovery failed", t);
                }
            }
        }, 0, BINDING_RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Runs the queries of this configuration from now on. */
    public synchronized void apply(AgentConfig next) {
        AgentConfig previous = config;
        for (DataSourceSpec spec : next.dataSources().values()) {
            DataSourceSpec before = previous == null ? null : previous.dataSources().get(spec.name());
            if (before == null || before.maxConnections() != spec.maxConnections()) {
                ExecutorService replaced = workers.put(spec.name(), Executors.newFixedThreadPool(spec.maxConnections(),
                        new DaemonThreads("query-" + spec.name())));
                if (replaced != null) {
                    replaced.shutdown(); // runs under way finish on the old threads
                }
            }
        }
        for (String name : new ArrayList<String>(workers.keySet())) {
            if (!next.dataSources().containsKey(name)) {
                workers.remove(name).shutdown();
            }
        }
        Map<String, ScheduledQuery> kept = new LinkedHashMap<String, ScheduledQuery>();
        for (QuerySpec query : next.queries()) {
            ScheduledQuery existing = scheduled.get(query.id());
            if (existing != null && existing.spec.equals(query)) {
                kept.put(query.id(), existing);
            }
        }
        for (ScheduledQuery old : scheduled.values()) {
            if (kept.get(old.spec.id()) != old) {
                old.cancelled = true;
                states.remove(old.spec.id());
            }
        }
        scheduled.clear();
        config = next;
        for (QuerySpec query : next.queries()) {
            ScheduledQuery entry = kept.get(query.id());
            if (entry == null) {
                entry = new ScheduledQuery(query);
                states.put(query.id(), QueryState.initial(query));
                plan(entry, 0L);
            }
            scheduled.put(query.id(), entry);
        }
        discovery.refresh(next.dataSources());
    }

    /** The latest state of every query, by id, in configuration order. */
    public Map<String, QueryState> states() {
        AgentConfig current = config;
        if (current == null) {
            return Collections.emptyMap();
        }
        Map<String, QueryState> ordered = new LinkedHashMap<String, QueryState>();
        for (QuerySpec query : current.queries()) {
            QueryState state = states.get(query.id());
            if (state != null) {
                ordered.put(query.id(), state);
            }
        }
        return Collections.unmodifiableMap(ordered);
    }

    public void stop() {
        timer.shutdownNow();
        cancels.shutdownNow();
        for (ExecutorService worker : workers.values()) {
            worker.shutdownNow();
        }
    }

    /** A query as scheduled; a reload that changes or removes it cancels this one. */
    private static final class ScheduledQuery {
        final QuerySpec spec;
        volatile boolean cancelled;

        ScheduledQuery(QuerySpec spec) {
            this.spec = spec;
        }
    }

    private void plan(final ScheduledQuery query, long delayMillis) {
        if (query.cancelled || timer.isShutdown()) {
            return;
        }
        timer.schedule(new Runnable() {
            @Override
            public void run() {
                ExecutorService worker = workers.get(query.spec.dataSource());
                if (query.cancelled || worker == null) {
                    return;
                }
                try {
                    worker.execute(new Runnable() {
                        @Override
                        public void run() {
                            runOnce(query);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    plan(query, BINDING_RECHECK_MILLIS); // its worker was just replaced by a reload
                }
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void runOnce(ScheduledQuery scheduledQuery) {
        QuerySpec query = scheduledQuery.spec;
        long started = System.currentTimeMillis();
        long next = query.intervalMillis();
        try {
            if (scheduledQuery.cancelled) {
                return;
            }
            QueryState before = states.get(query.id());
            if (before == null) {
                return; // removed by a reload
            }
            Binding binding = discovery.bindings().get(query.dataSource());
            Object instance = binding == null || binding.bound() == null ? null : binding.bound().instance();
            if (!(instance instanceof DataSource)) {
                String reason = "datasource " + query.dataSource() + " is not bound"
                        + (binding == null ? "" : ": " + binding.explanation());
                states.replace(query.id(), before, before.waiting(reason));
                next = BINDING_RECHECK_MILLIS;
                return;
            }
            QueryResult result = runner.run(query, (DataSource) instance);
            QueryState after = before.after(result);
            // replace, not put: a reload may have removed or redefined the query meanwhile
            if (states.replace(query.id(), before, after)) {
                logTransition(query, before, after);
            }
            next = nextDelay(query, after);
        } catch (Throwable t) {
            Log.error("query " + query.id() + ": unexpected failure", t);
        } finally {
            plan(scheduledQuery, Math.max(0L, started + next - System.currentTimeMillis()));
        }
    }
    /** The interval after a success; doubling while failures go on, up to {@value #MAX_BACKOFF_FACTOR} times it. */
    static long nextDelay(QuerySpec query, QueryState state) {
        int failures = state.consecutiveFailures();
        if (failures == 0) {
            return query.intervalMillis();
        }
        long factor = Math.min(1L << Math.min(failures - 1, 30), MAX_BACKOFF_FACTOR);
        return query.intervalMillis() * factor;
    }

    private static void logTransition(QuerySpec query, QueryState before, QueryState after) {
        QueryResult result = after.last();
        QueryResult previous = before.last();
        if (result.outcome() == Outcome.SUCCESS) {
            if (previous == null) {
                Log.info("query " + query.id() + " ran: " + result.rows() + " rows in "
                        + Math.round(result.durationSeconds() * 1000) + " ms");
            } else if (previous.outcome() != Outcome.SUCCESS) {
                Log.info("query " + query.id() + " succeeds again");
            }
        } else if (previous == null || previous.error() == null || !previous.error().equals(result.error())) {
            Log.warn("query " + query.id() + " " + result.outcome().label() + ": " + result.error()
                    + " (next try in " + nextDelay(query, after) / 1000.0 + " s)");
        }
    }
}
