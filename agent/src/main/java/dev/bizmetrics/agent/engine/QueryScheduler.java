package dev.bizmetrics.agent.engine;

import dev.bizmetrics.agent.config.AgentConfig;
import dev.bizmetrics.agent.config.DataSourceSpec;
import dev.bizmetrics.agent.config.QuerySpec;
import dev.bizmetrics.agent.discovery.Binding;
import dev.bizmetrics.agent.discovery.Discovery;
import dev.bizmetrics.agent.log.Log;

import javax.sql.DataSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs every query on its interval, never on the scrape thread. One timer thread keeps time; each configured
 * DataSource has its own query threads, as many as its {@code max-connections}, so a slow database holds up only
 * its own queries and the agent never borrows more connections than that from the host's pool. A query's next
 * run is planned when its run ends, so runs of one query never overlap; a failing query backs off.
 */
public final class QueryScheduler {

    static final long BINDING_RECHECK_MILLIS = 1000L;
    private static final int MAX_BACKOFF_FACTOR = 8;

    private final AgentConfig config;
    private final Discovery discovery;
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService cancels;
    private final Map<String, ExecutorService> workers = new LinkedHashMap<String, ExecutorService>();
    private final QueryRunner runner;
    private final ConcurrentMap<String, QueryState> states = new ConcurrentHashMap<String, QueryState>();

    public QueryScheduler(AgentConfig config, Discovery discovery) {
        this.config = config;
        this.discovery = discovery;
        this.timer = new ScheduledThreadPoolExecutor(1, new DaemonThreads("scheduler"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.cancels = Executors.newCachedThreadPool(new DaemonThreads("cancel"));
        this.runner = new QueryRunner(timer, cancels);
        for (DataSourceSpec spec : config.dataSources().values()) {
            workers.put(spec.name(), Executors.newFixedThreadPool(spec.maxConnections(),
                    new DaemonThreads("query-" + spec.name())));
        }
        for (QuerySpec query : config.queries()) {
            states.put(query.id(), QueryState.initial(query));
        }
    }

    public void start() {
        timer.scheduleWithFixedDelay(new Runnable() {
            @Override
            public void run() {
                try {
                    discovery.refresh(config.dataSources());
                } catch (Throwable t) {
                    Log.error("DataSource discovery failed", t);
                }
            }
        }, 0, BINDING_RECHECK_MILLIS, TimeUnit.MILLISECONDS);
        for (QuerySpec query : config.queries()) {
            plan(query, 0L);
        }
    }

    /** The latest state of every query, by id, in configuration order. */
    public Map<String, QueryState> states() {
        Map<String, QueryState> ordered = new LinkedHashMap<String, QueryState>();
        for (QuerySpec query : config.queries()) {
            ordered.put(query.id(), states.get(query.id()));
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

    private void plan(final QuerySpec query, long delayMillis) {
        if (timer.isShutdown()) {
            return;
        }
        timer.schedule(new Runnable() {
            @Override
            public void run() {
                workers.get(query.dataSource()).execute(new Runnable() {
                    @Override
                    public void run() {
                        runOnce(query);
                    }
                });
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void runOnce(QuerySpec query) {
        long started = System.currentTimeMillis();
        long next = query.intervalMillis();
        try {
            QueryState before = states.get(query.id());
            Binding binding = discovery.bindings().get(query.dataSource());
            Object instance = binding == null || binding.bound() == null ? null : binding.bound().instance();
            if (!(instance instanceof DataSource)) {
                String reason = "datasource " + query.dataSource() + " is not bound"
                        + (binding == null ? "" : ": " + binding.explanation());
                states.put(query.id(), before.waiting(reason));
                next = BINDING_RECHECK_MILLIS;
                return;
            }
            QueryResult result = runner.run(query, (DataSource) instance);
            QueryState after = before.after(result);
            states.put(query.id(), after);
            logTransition(query, before, after);
            next = nextDelay(query, after);
        } catch (Throwable t) {
            Log.error("query " + query.id() + ": unexpected failure", t);
        } finally {
            plan(query, Math.max(0L, started + next - System.currentTimeMillis()));
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
