package dev.bizmetrics.agent.fleet;

/** What a lock attempt found. */
public enum LockState {
    /** This session holds the lock: it leads. */
    OURS,
    /** Another session holds the lock: it follows. */
    NOT_OURS,
    /**
     * The connection's statements move between database backends (a transaction-pooling proxy), so a session lock
     * cannot be trusted; {@link FleetLock#problem()} says what was seen.
     */
    PROXY,
    /** The lock cannot be used on this connection (not granted, not kept); {@link FleetLock#problem()} says why. */
    UNUSABLE
}
