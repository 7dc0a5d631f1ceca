package dev.bizmetrics.agent.fleet;

import dev.bizmetrics.agent.config.AgentConfig;
import dev.bizmetrics.agent.config.DataSourceSpec;
import dev.bizmetrics.agent.discovery.Binding;
import dev.bizmetrics.agent.discovery.DiscoveryResult;
import dev.bizmetrics.agent.engine.QueryRunner;
import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.agent.state.FleetStatus;

import javax.sql.DataSource;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * This replica's place in the fleets of its DataSources ({@code fleet.mode=lock}): a {@link FleetMember} per
 * configured DataSource, looked at every second (see {@link FleetMember#check}) and whenever discovery binds a name
 * anew, on the one {@code bizmetrics-fleet} thread, which may block on the host's pool and its database and on
 * nothing else.
 */
public final class Fleets implements Closeable {

    /** How long {@link #close} waits for the locks to be given back. */
    static final long CLOSE_WAIT_SECONDS = 10L;

    /** Where the statuses go, and who runs the fleet's queries when this replica starts to lead. */
    public interface Listener {
        /** Every member's status, after any of them changed; called one at a time. */
        void changed(Map<String, FleetStatus> statuses);

        /** This replica has just started to run the DataSource's fleet-scoped queries: they are due now. */
        void due(String dataSource);
    }

    private final ScheduledExecutorService thread;
    private final QueryRunner runner;
    private final Listener listener;
    /** Replaced whole by {@link #apply}; read anywhere. */
    private volatile Map<String, FleetMember> members = Collections.emptyMap();
    /** Guarded by this. */
    private ScheduledFuture<?> checks;
    private long checkMillis;

    /** @param thread the {@code bizmetrics-fleet} thread; it runs every lock attempt and check */
    public Fleets(ScheduledExecutorService thread, QueryRunner runner, Listener listener) {
        this.thread = thread;
        this.runner = runner;
        this.listener = listener;
    }

    /**
     * From the control thread: the members this configuration asks for. A member whose fleet is unchanged keeps its
     * lock; the others end (giving their locks back) before the new ones first try theirs. The new members' statuses
     * are published before this returns, so that no fleet-scoped query runs before its lock attempt.
     */
    public synchronized void apply(AgentConfig config, DiscoveryResult discovery) {
        Map<String, FleetMember> next = new LinkedHashMap<String, FleetMember>();
        long now = System.currentTimeMillis();
        if (config.fleet().isLock()) {
            for (DataSourceSpec spec : config.dataSources().values()) {
                String fleet = config.fleetName(spec.name());
                FleetMember old = members.get(spec.name());
                next.put(spec.name(), old != null && old.fleet().equals(fleet) && sameCheck(config)
                        ? old : new FleetMember(spec.name(), fleet, config.fleet().checkIntervalMillis(), runner,
                        this, bound(discovery, spec.name()), now));
            }
        }
        final List<FleetMember> ended = new ArrayList<FleetMember>();
        for (FleetMember old : members.values()) {
            if (next.get(old.dataSource()) != old) {
                ended.add(old);
            }
        }
        members = Collections.unmodifiableMap(next);
        publish();
        onThread(new Runnable() {
            @Override
            public void run() {
                for (FleetMember member : ended) {
                    member.end();
                }
                checkAll(true);
            }
        });
        if (checks != null) {
            checks.cancel(false);
            checks = null;
        }
        checkMillis = config.fleet().checkIntervalMillis();
        if (!next.isEmpty()) {
            try {
                checks = thread.scheduleWithFixedDelay(new Runnable() {
                    @Override
                    public void run() {
                        checkAll(false);
                    }
                }, FleetMember.LEADER_CHECK_MILLIS, FleetMember.LEADER_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // the agent is stopping
            }
        }
    }

    private boolean sameCheck(AgentConfig config) {
        return config.fleet().checkIntervalMillis() == checkMillis;
    }

    /** From the control thread, after each discovery: a name bound anew is checked now rather than at the next check. */
    public void discovered(DiscoveryResult discovery) {
        for (FleetMember member : members.values()) {
            if (member.rebind(bound(discovery, member.dataSource()))) {
                checkSoon(member);
            }
        }
    }

    /**
     * For a query thread of a DataSource this replica leads: its turn on the held connection, waiting up to
     * {@code waitMillis} while another run has it; null when this replica does not lead it (any more).
     */
    public Lease lease(String dataSource, long waitMillis) throws InterruptedException {
        FleetMember member = members.get(dataSource);
        return member == null ? null : member.lease(waitMillis);
    }

    /** Gives every lock back and stops checking; waits up to {@value #CLOSE_WAIT_SECONDS} s. */
    @Override
    public void close() {
        final Map<String, FleetMember> last;
        synchronized (this) {
            last = members;
            members = Collections.emptyMap();
            if (checks != null) {
                checks.cancel(false);
            }
        }
        try {
            thread.submit(new Runnable() {
                @Override
                public void run() {
                    for (FleetMember member : last.values()) {
                        member.end();
                    }
                }
            }).get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.debug("giving the fleet locks back: " + Log.describe(e));
        }
    }

    void checkSoon(final FleetMember member) {
        onThread(new Runnable() {
            @Override
            public void run() {
                if (members.get(member.dataSource()) == member) {
                    member.check(true);
                }
            }
        });
    }

    void due(String dataSource) {
        listener.due(dataSource);
    }

    /** Tells the listener every member's status; one call at a time, so that a later one never comes first. */
    synchronized void publish() {
        Map<String, FleetStatus> statuses = new LinkedHashMap<String, FleetStatus>();
        for (FleetMember member : members.values()) {
            statuses.put(member.dataSource(), member.status());
        }
        listener.changed(statuses);
    }

    private void checkAll(boolean now) {
        for (FleetMember member : members.values()) {
            try {
                member.check(now);
            } catch (Throwable t) {
                Log.error("fleet " + member.fleet() + ": the check of datasource " + member.dataSource()
                        + " failed; it is tried again", t);
            }
        }
    }

    private void onThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // the agent is stopping
        }
    }

    private static DataSource bound(DiscoveryResult discovery, String name) {
        Binding binding = discovery.bindings().get(name);
        Object instance = binding == null || !binding.isBound() ? null : binding.bound().instance();
        return instance instanceof DataSource ? (DataSource) instance : null;
    }
}
