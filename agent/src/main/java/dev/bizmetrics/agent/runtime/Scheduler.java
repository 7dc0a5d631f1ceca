package dev.bizmetrics.agent.runtime;

import dev.bizmetrics.agent.config.AgentConfig;
import dev.bizmetrics.agent.config.DataSourceSpec;
import dev.bizmetrics.agent.config.Durations;
import dev.bizmetrics.agent.config.QuerySpec;
import dev.bizmetrics.agent.discovery.Binding;
import dev.bizmetrics.agent.engine.Outcome;
import dev.bizmetrics.agent.engine.QueryResult;
import dev.bizmetrics.agent.engine.QueryRunner;
import dev.bizmetrics.agent.fleet.Fleets;
import dev.bizmetrics.agent.fleet.Lease;
import dev.bizmetrics.agent.state.FleetStatus;
import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.agent.state.AgentSnapshot;
import dev.bizmetrics.agent.threads.DaemonThreads;
import dev.bizmetrics.agent.state.QueryState;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs every query on its interval, never on the scrape thread. The timer only plans; each configured DataSource
 * has its own query threads, as many as its {@code max-connections}, so a slow database holds up only its own
 * queries and the agent never runs more statements on a pool than that. A query's next run is planned when its run
 * ends, so runs of one query never overlap; a query that fails backs off.
 *
 * <p>A configuration is applied in place ({@link #apply}, from the control thread): a query whose definition did not
 * change keeps its schedule and its state; a changed one starts anew; a removed one stops. A run of a query a reload
 * replaced stores nothing ({@link AgentSnapshot#updateQuery}). A changed {@code max-connections} resizes the
 * DataSource's threads in place: threads over the new count end when their run does, so the cap holds throughout.
 */
final class Scheduler {

    static final long BINDING_RECHECK_MILLIS = 1000L;
    private static final long IDLE_THREAD_SECONDS = 60;

    private final ScheduledExecutorService timer;
    private final QueryRunner runner;
    private final SnapshotStore store;
    private final Fleets fleets;
    /** Guarded by this. */
    private final Map<String, ThreadPoolExecutor> workers = new HashMap<String, ThreadPoolExecutor>();
    /** Guarded by this. */
    private final Map<String, Planned> planned = new LinkedHashMap<String, Planned>();

    Scheduler(ScheduledExecutorService timer, QueryRunner runner, SnapshotStore store, Fleets fleets) {
        this.timer = timer;
        this.runner = runner;
        this.store = store;
        this.fleets = fleets;
    }

    /** A query as planned; a reload that changes or removes it stops this one. */
    private static final class Planned {
        final QuerySpec spec;
        volatile boolean stopped;
        /** The timer's task for the next run while it waits; guarded by this Planned. */
        ScheduledFuture<?> pending;

        Planned(QuerySpec spec) {
            this.spec = spec;
        }
    }

    /**
     * Runs the queries of a DataSource now that wait for their next run: this replica has just started to run its
     * fleet's queries. A run under way plans its next as usual.
     */
    void wake(String dataSource) {
        List<Planned> due = new ArrayList<Planned>();
        synchronized (this) {
            for (Planned query : planned.values()) {
                if (query.spec.dataSource().equals(dataSource)) {
                    due.add(query);
                }
            }
        }
        for (Planned query : due) {
            synchronized (query) {
                if (query.pending != null && query.pending.cancel(false)) {
                    query.pending = null;
                    plan(query, 0L);
                }
            }
        }
    }

    /** Runs the queries of this configuration from now on and publishes their states. */
    synchronized void apply(final AgentConfig config) {
        for (DataSourceSpec spec : config.dataSources().values()) {
            ThreadPoolExecutor pool = workers.get(spec.name());
            if (pool == null) {
                pool = new ThreadPoolExecutor(spec.maxConnections(), spec.maxConnections(), IDLE_THREAD_SECONDS,
                        TimeUnit.SECONDS, new LinkedBlockingQueue<Runnable>(),
                        new DaemonThreads("query-" + spec.name()));
                pool.allowCoreThreadTimeOut(true);
                workers.put(spec.name(), pool);
            } else {
                resize(pool, spec.maxConnections());
            }
        }
        for (String name : new ArrayList<String>(workers.keySet())) {
            if (!config.dataSources().containsKey(name)) {
                workers.remove(name).shutdown(); // runs under way finish on their threads
            }
        }
        final Map<String, Planned> next = new LinkedHashMap<String, Planned>();
        for (QuerySpec query : config.queries()) {
            Planned existing = planned.get(query.id());
            next.put(query.id(), existing != null && existing.spec.equals(query) ? existing : new Planned(query));
        }
        for (Planned old : planned.values()) {
            if (next.get(old.spec.id()) != old) {
                old.stopped = true;
            }
        }
        store.update(new SnapshotStore.Change() {
            @Override
            public AgentSnapshot apply(AgentSnapshot current) {
                Map<String, QueryState> states = new LinkedHashMap<String, QueryState>();
                for (Planned query : next.values()) {
                    QueryState state = current.queries().get(query.spec.id());
                    states.put(query.spec.id(), state != null && state.spec() == query.spec ? state
                            : QueryState.initial(query.spec));
                }
                return current.withRunning(config, states);
            }
        });
        for (Planned query : next.values()) {
            if (!planned.containsValue(query)) {
                plan(query, 0L);
            }
        }
        planned.clear();
        planned.putAll(next);
    }

    /** Changes the thread count in the order that keeps the pool valid (core never above maximum). */
    private static void resize(ThreadPoolExecutor pool, int threads) {
        if (threads > pool.getMaximumPoolSize()) {
            pool.setMaximumPoolSize(threads);
            pool.setCorePoolSize(threads);
        } else if (threads < pool.getMaximumPoolSize()) {
            pool.setCorePoolSize(threads);
            pool.setMaximumPoolSize(threads);
        }
    }

    /** Stops every query; runs under way end on their own, storing nothing. */
    synchronized void stop() {
        for (Planned query : planned.values()) {
            query.stopped = true;
        }
        for (ThreadPoolExecutor pool : workers.values()) {
            pool.shutdownNow();
        }
    }

    private void plan(final Planned query, long delayMillis) {
        if (query.stopped || timer.isShutdown()) {
            return;
        }
        try {
            synchronized (query) {
                query.pending = timer.schedule(new Runnable() {
                    @Override
                    public void run() {
                        submit(query);
                    }
                }, delayMillis, TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            // the agent is stopping
        }
    }

    /** On the timer: hands the run to its DataSource's threads; never waits itself. */
    private void submit(final Planned query) {
        ThreadPoolExecutor pool;
        synchronized (this) {
            pool = workers.get(query.spec.dataSource());
        }
        if (query.stopped || pool == null) {
            return;
        }
        try {
            pool.execute(new Runnable() {
                @Override
                public void run() {
                    runOnce(query);
                }
            });
        } catch (RejectedExecutionException e) {
            plan(query, BINDING_RECHECK_MILLIS); // its DataSource's threads were just replaced by a reload
        }
    }

    private void runOnce(Planned query) {
        final QuerySpec spec = query.spec;
        long started = System.currentTimeMillis();
        long next = spec.intervalMillis();
        try {
            if (query.stopped) {
                return;
            }
            AgentSnapshot snapshot = store.get();
            final Binding binding = snapshot.discovery().bindings().get(spec.dataSource());
            Object instance = binding == null || binding.bound() == null ? null : binding.bound().instance();
            if (!(instance instanceof DataSource)) {
                // The binding's own explanation (which match= picks what) is shown once, with the DataSources.
                waiting(spec, "datasource " + spec.dataSource() + " is not bound yet (see DataSources)");
                next = BINDING_RECHECK_MILLIS;
                return;
            }
            FleetStatus fleet = snapshot.fleets().get(spec.dataSource());
            if (!snapshot.runsHere(spec)) {
                // The fleet wakes the query when this replica starts to run it; till then, once an interval.
                waiting(spec, "this replica does not run the queries of fleet " + fleet.fleet() + " ("
                        + fleet.reason().label() + "): " + fleet.detail());
                return;
            }
            QueryState before = snapshot.queries().get(spec.id());
            final QueryResult result;
            if (fleet != null && fleet.leads()) {
                Lease lease = fleets.lease(spec.dataSource(), spec.timeoutMillis());
                if (lease == null) {
                    waiting(spec, "the connection that holds the lock of fleet " + fleet.fleet() + " was busy with "
                            + "another run for the whole timeout, or is being handed over");
                    next = BINDING_RECHECK_MILLIS;
                    return;
                }
                try {
                    if (!lease.isValid()) {
                        lease.end(true);
                        waiting(spec, "the connection that holds the lock of fleet " + fleet.fleet() + " broke; "
                                + "the lock is tried again");
                        next = BINDING_RECHECK_MILLIS;
                        return;
                    }
                    result = runner.runOnHeld(spec, lease.connection());
                } finally {
                    lease.end(false);
                }
                if (!store.get().runsHere(spec)) {
                    waiting(spec, "this replica stepped down from fleet " + fleet.fleet() + " while the query ran");
                    return;
                }
            } else {
                result = runner.run(spec, (DataSource) instance);
            }
            if (query.stopped || before == null || before.spec() != spec) {
                return; // a reload replaced the query while it ran: its result belongs to no running query
            }
            AgentSnapshot after = updateQuery(spec, new AgentSnapshot.QueryChange() {
                @Override
                public QueryState apply(QueryState state) {
                    return state.after(result);
                }
            });
            QueryState state = after.queries().get(spec.id());
            if (state != null && state.spec() == spec) {
                logTransition(spec, before, state);
                next = state.nextDelayMillis();
            }
        } catch (Throwable t) {
            Log.error("query " + spec.id() + ": unexpected failure", t);
        } finally {
            plan(query, Math.max(0L, started + next - System.currentTimeMillis()));
        }
    }

    private void waiting(QuerySpec spec, final String reason) {
        updateQuery(spec, new AgentSnapshot.QueryChange() {
            @Override
            public QueryState apply(QueryState state) {
                return state.waiting(reason);
            }
        });
    }

    /** Stores a change of the state of this very spec (none once a reload replaced it). */
    private AgentSnapshot updateQuery(final QuerySpec spec, final AgentSnapshot.QueryChange change) {
        return store.update(new SnapshotStore.Change() {
            @Override
            public AgentSnapshot apply(AgentSnapshot current) {
                return current.updateQuery(spec, change);
            }
        });
    }

    private static String firstLine(String error) {
        int newline = error == null ? -1 : error.indexOf('\n');
        return newline < 0 ? String.valueOf(error) : error.substring(0, newline).trim();
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
        } else if (before.awaitsSchema(result)) {
            if (previous == null || !previous.isMissingSchema()) {
                Log.info("query " + query.id() + " waits for its tables: " + firstLine(result.error()) + "; it is "
                        + "tried every " + Durations.format(query.intervalMillis()) + " until it first succeeds "
                        + "(a first deployment whose schema is still to be created?), without more lines till then");
            }
        } else if (previous == null || previous.error() == null || !previous.error().equals(result.error())) {
            Log.warn("query " + query.id() + " " + result.outcome().label() + ": " + result.error()
                    + " (next try in " + after.nextDelayMillis() / 1000.0 + " s)");
        }
    }
}
