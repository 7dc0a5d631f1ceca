package dev.bizmetrics.agent.fleet;

/** What a lock attempt found. */
public enum LockState {
    /** This session holds the lock: it leads. */
    OURS,
    /** Another session holds the lock: it follows. */
    NOT_OURS,
    /** The lock cannot be trusted on this connection; {@link FleetLock#problem()} says why. */
    UNUSABLE
}
