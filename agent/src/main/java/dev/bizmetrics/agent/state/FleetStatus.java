package dev.bizmetrics.agent.state;

import java.util.Locale;

/**
 * Where one DataSource of this replica stands in its fleet ({@code fleet.mode=lock}): whether it leads, follows, or
 * runs every query because a lock cannot be used, since when, and why. Immutable.
 */
public final class FleetStatus {

    /** Why a replica does what it does; each reason belongs to one mode. */
    public enum Reason {
        /** Holds the fleet's lock and runs the fleet-scoped queries. */
        LEADS(true),
        /** Another replica holds the lock; this one tries again every {@code fleet.check-interval}. */
        FOLLOWS(true),
        /** The DataSource is bound and its first lock attempt is under way. */
        STARTING(true),
        /** The DataSource is not bound yet: nothing runs for it. */
        NOT_BOUND(true),
        /** The pool gave no connection for the lock attempt in time; it is tried again. */
        NO_CONNECTION(true),
        /** The pool has at most two connections: holding one would hurt the application. */
        POOL_TOO_SMALL(false),
        /** The pool's maximum size cannot be read, so holding one of its connections might hurt the application. */
        POOL_SIZE_UNKNOWN(false),
        /** The database has no session lock the agent uses (H2, Oracle, SQL Server, ...). */
        NO_LOCK(false),
        /** A transaction-pooling proxy sits between pool and database: session locks cannot be trusted. */
        PROXY(false),
        /** The lock statement failed or is not allowed. */
        LOCK_FAILED(false);

        private final boolean lockMode;

        Reason(boolean lockMode) {
            this.lockMode = lockMode;
        }

        /** The {@code reason} label. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The {@code mode} label: {@code lock} while the lock decides, {@code every} when every replica runs. */
        public String mode() {
            return lockMode ? "lock" : "every";
        }
    }

    private final String dataSource;
    private final String fleet;
    private final Reason reason;
    private final long sinceMillis;
    private final String lockKey;
    private final String detail;

    public FleetStatus(String dataSource, String fleet, Reason reason, long sinceMillis, String lockKey,
                       String detail) {
        this.dataSource = dataSource;
        this.fleet = fleet;
        this.reason = reason;
        this.sinceMillis = sinceMillis;
        this.lockKey = lockKey;
        this.detail = detail;
    }

    public String dataSource() {
        return dataSource;
    }

    public String fleet() {
        return fleet;
    }

    public Reason reason() {
        return reason;
    }

    public boolean leads() {
        return reason == Reason.LEADS;
    }

    /** Whether this replica runs the fleet-scoped queries: as the leader, or because every replica does. */
    public boolean runsFleetQueries() {
        return reason == Reason.LEADS || !reason.lockMode;
    }

    /** Epoch millis since this reason holds. */
    public long sinceMillis() {
        return sinceMillis;
    }

    /** The lock as a DBA would look it up, or null when there is none. */
    public String lockKey() {
        return lockKey;
    }

    /** One sentence on why, for the status page and the log. */
    public String detail() {
        return detail;
    }

    /** This status with another reason; the time it holds since is kept when the reason is the same. */
    public FleetStatus with(Reason next, long nowMillis, String nextKey, String nextDetail) {
        return new FleetStatus(dataSource, fleet, next, next == reason ? sinceMillis : nowMillis,
                nextKey == null ? lockKey : nextKey, nextDetail);
    }
}
