package dev.bizmetrics.agent.fleet;

import dev.bizmetrics.agent.discovery.DataSourceDescriber;
import dev.bizmetrics.agent.engine.QueryRunner;
import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.agent.pools.PoolSampler;
import dev.bizmetrics.agent.state.FleetStatus;
import dev.bizmetrics.agent.state.FleetStatus.Reason;

import javax.sql.DataSource;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One configured DataSource of this replica in its fleet: tries the fleet's lock, holds it on one connection of the
 * host's pool while it leads, lends that connection to one run at a time, and gives the lock back before the
 * connection goes back to the pool.
 *
 * <p>{@link #check}, {@link #end} and what they call run on the {@code bizmetrics-fleet} thread only; {@link #lease}
 * and {@link #giveBack} on query threads; {@link #status} anywhere.
 */
final class FleetMember {

    /** How long a lock attempt waits for a connection from the pool: the host's threads come first. */
    static final long BORROW_MILLIS = 1000L;
    /** How long stepping down waits for a run on the held connection to end before ending its session. */
    static final long HAND_BACK_MILLIS = 5000L;
    static final int VALID_SECONDS = 2;
    /** How often the leader checks that its session still holds the lock, whatever {@code fleet.check-interval}. */
    static final long LEADER_CHECK_MILLIS = 1000L;
    /**
     * How long a replica that took the lock waits before it leads: a former leader whose session ended without it
     * knowing (the connection killed, the network cut) notices at its next check, well within this.
     */
    static final long TAKEOVER_MILLIS = 3 * LEADER_CHECK_MILLIS;
    private static final Executor DIRECT = new Executor() {
        @Override
        public void execute(Runnable command) {
            command.run();
        }
    };

    private final String dataSource;
    private final String fleet;
    private final long checkMillis;
    private final QueryRunner runner;
    private final Fleets owner;
    /** One permit: the held connection serves one run, or one check, at a time. */
    private final Semaphore use = new Semaphore(1);
    private volatile FleetStatus status;
    /** The held connection while this replica leads, else null: what {@link #lease} lends. */
    private volatile Connection leading;
    /** The DataSource the name is bound to now, weakly; set by discovery. */
    private volatile WeakReference<DataSource> bound = new WeakReference<DataSource>(null);

    // The fleet thread's own state.
    private FleetLock lock;
    private Connection held;
    /** The DataSource the lock, the held connection and a settled reason are about. */
    private DataSource about;
    /** A reason that holds until the name is bound to another DataSource (no lock, a proxy): not tried again. */
    private boolean settled;
    /** When the held lock may be led on. */
    private long takeoverMillis;
    /** When a follower tries the lock next. */
    private long nextAttemptMillis;

    FleetMember(String dataSource, String fleet, long checkMillis, QueryRunner runner, Fleets owner,
                DataSource target, long nowMillis) {
        this.dataSource = dataSource;
        this.fleet = fleet;
        this.checkMillis = checkMillis;
        this.runner = runner;
        this.owner = owner;
        this.bound = new WeakReference<DataSource>(target);
        this.status = new FleetStatus(dataSource, fleet, target == null ? Reason.NOT_BOUND : Reason.STARTING,
                nowMillis, null, target == null ? notBound() : "the first lock attempt is under way");
    }

    String dataSource() {
        return dataSource;
    }

    String fleet() {
        return fleet;
    }

    FleetStatus status() {
        return status;
    }

    /** Discovery's binding now; true when it changed, so that a check is due. */
    boolean rebind(DataSource target) {
        if (bound.get() == target) {
            return false;
        }
        bound = new WeakReference<DataSource>(target);
        return true;
    }

    /**
     * On the fleet thread, every {@value #LEADER_CHECK_MILLIS} ms: the leader checks its lock; a replica that took
     * the lock leads once {@value #TAKEOVER_MILLIS} ms have passed; the others try the lock every
     * {@code fleet.check-interval}, or now when {@code now} (a new binding, a broken connection, a new configuration).
     */
    void check(boolean now) {
        long time = System.currentTimeMillis();
        DataSource target = bound.get();
        if (held != null) {
            String lost = target == about ? stillHeld() : "the datasource was bound to another DataSource";
            if (lost == null) {
                if (leading == null && time >= takeoverMillis) {
                    leading = held;
                    set(Reason.LEADS, lock.key(), "this replica holds " + lock.key() + " on one connection of the "
                            + "pool and runs the fleet's queries on it");
                }
                return;
            }
            stepDown(lost);
            if (settled) {
                set(Reason.PROXY, lock.key(), lost);
                return;
            }
            now = true;
        }
        if (!now && time < nextAttemptMillis) {
            return;
        }
        nextAttemptMillis = time + checkMillis;
        if (target != about) {
            about = target;
            lock = null;
            settled = false;
        }
        if (target == null) {
            set(Reason.NOT_BOUND, null, notBound());
            return;
        }
        if (settled) {
            return;
        }
        int max = DataSourceDescriber.maxPoolSize(target);
        if (max > 0 && max <= 2) {
            set(Reason.POOL_TOO_SMALL, null, "the pool opens at most " + max + " connections: holding one for the "
                    + "lock would leave the application too few, so every replica runs its queries; give the pool "
                    + "3 or more to use fleet mode");
        } else if (max < 0) {
            set(Reason.POOL_SIZE_UNKNOWN, null, "the pool's maximum size cannot be read from a "
                    + target.getClass().getName() + ", and holding one of its connections might leave the "
                    + "application too few, so every replica runs its queries");
        } else {
            attempt(target);
        }
    }

    private void attempt(DataSource target) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(target.getClass().getClassLoader());
        Connection connection;
        try {
            if (PoolSampler.pending(target) > 0) {
                set(Reason.NO_CONNECTION, null, "the application's threads are waiting for connections of the pool, "
                        + "so the lock attempt borrows none; tried again in " + checkMillis / 1000.0 + " s");
                return;
            }
            try {
                connection = runner.borrow(target, BORROW_MILLIS);
            } catch (SQLException e) {
                set(Reason.NO_CONNECTION, null, "no connection for the lock attempt: " + Log.describe(e)
                        + "; tried again in " + checkMillis / 1000.0 + " s");
                return;
            }
            boolean keep = false;
            try {
                keep = tryLock(connection);
            } catch (Throwable t) {
                releaseQuietly(connection);
                set(Reason.NO_CONNECTION, null, "the lock attempt failed: " + Log.describe(t) + "; tried again in "
                        + checkMillis / 1000.0 + " s");
            } finally {
                if (!keep) {
                    closeQuietly(connection);
                }
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** True when this replica now leads on {@code connection}. */
    private boolean tryLock(Connection connection) throws SQLException {
        if (lock == null) {
            lock = FleetLock.forDatabase(connection, fleet, dataSource);
        }
        if (lock == null) {
            settle(Reason.NO_LOCK, null, "the database (" + connection.getMetaData().getDatabaseProductName()
                    + ") has no session lock the agent uses, so every replica runs its queries");
            return false;
        }
        LockState state = lock.tryAcquire(connection);
        if (state == LockState.OURS) {
            held = connection;
            takeoverMillis = System.currentTimeMillis() + TAKEOVER_MILLIS;
            set(Reason.STARTING, lock.key(), "this replica holds " + lock.key() + " and leads in "
                    + TAKEOVER_MILLIS / 1000 + " s, once a former leader whose session ended has noticed");
            return true;
        }
        if (state == LockState.NOT_OURS) {
            set(Reason.FOLLOWS, lock.key(), "another replica holds " + lock.key() + "; this one tries again every "
                    + checkMillis / 1000.0 + " s");
        } else {
            settle(state == LockState.PROXY ? Reason.PROXY : Reason.LOCK_FAILED, lock.key(), lock.problem());
        }
        return false;
    }

    /**
     * Whether the held connection still holds the lock: the lock statement again, which answers for this session
     * without taking the lock twice and sees a session that moved to another backend. A run under way proves the
     * connection better than a check would, so none is made then. Null when it does; else why not.
     */
    private String stillHeld() {
        if (!use.tryAcquire()) {
            return null;
        }
        try {
            LockState state = lock.tryAcquire(held);
            if (state == LockState.OURS) {
                return null;
            }
            if (state == LockState.PROXY) {
                settled = true;
                return lock.problem();
            }
            return "the connection no longer holds " + lock.key() + " (" + state + ")";
        } catch (Throwable t) {
            return "the connection that held the lock broke (" + Log.describe(t) + ")";
        } finally {
            use.release();
        }
    }

    /**
     * Gives up the lead: the status first (the fleet-scoped series go before another replica can lead), then the
     * lock, then the connection. A run that does not give the connection back in time, or a lock that does not
     * release, has its session ended, which frees the lock on the server before the pool sees the connection again.
     */
    private void stepDown(String why) {
        Connection connection = held;
        held = null;
        leading = null;
        set(Reason.STARTING, null, why + "; this replica steps down and tries the lock again");
        boolean released = false;
        try {
            if (use.tryAcquire(HAND_BACK_MILLIS, TimeUnit.MILLISECONDS)) {
                try {
                    released = lock.release(connection);
                } catch (Throwable t) {
                    Log.debug("fleet " + fleet + ": releasing " + lock.key() + " failed: " + Log.describe(t));
                } finally {
                    use.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!released) {
            abortQuietly(connection);
        }
        closeQuietly(connection);
    }

    /** On the fleet thread: the member is no longer configured, or the agent stops. */
    void end() {
        if (held != null) {
            stepDown("the agent stops or its configuration changed");
        }
    }

    /** A query thread's turn on the held connection, or null when this replica does not lead (any more). */
    Lease lease(long waitMillis) throws InterruptedException {
        if (leading == null || !use.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
            return null;
        }
        Connection connection = leading;
        if (connection == null) {
            use.release();
            return null;
        }
        return new Lease(this, connection);
    }

    void giveBack(boolean broken) {
        use.release();
        if (broken) {
            owner.checkSoon(this);
        }
    }

    private void settle(Reason reason, String key, String detail) {
        settled = true;
        set(reason, key, detail);
    }

    private void set(Reason reason, String key, String detail) {
        FleetStatus before = status;
        status = before.with(reason, System.currentTimeMillis(), key, detail);
        if (before.reason() != reason) {
            String line = "datasource " + dataSource + ", fleet " + fleet + ": " + reason.label() + " (" + detail + ")";
            if (reason.mode().equals("every")) {
                Log.warn(line);
            } else {
                Log.info(line);
            }
        }
        owner.publish();
        if (!before.runsFleetQueries() && status.runsFleetQueries()) {
            owner.due(dataSource);
        }
    }

    private String notBound() {
        return "datasource " + dataSource + " is not bound yet";
    }

    /** Best effort after a failed attempt, in case the lock was taken before the failure. */
    private void releaseQuietly(Connection connection) {
        try {
            if (lock != null) {
                lock.release(connection);
            }
        } catch (Throwable t) {
            Log.debug("fleet " + fleet + ": releasing after a failed attempt: " + Log.describe(t));
        }
    }

    private void abortQuietly(Connection connection) {
        try {
            connection.abort(DIRECT);
        } catch (Throwable t) {
            Log.debug("fleet " + fleet + ": ending the session failed: " + Log.describe(t));
        }
    }

    private void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (Throwable t) {
            Log.debug("fleet " + fleet + ": returning the connection failed: " + Log.describe(t));
        }
    }
}
