package dev.bizmetrics.agent.fleet;

import java.sql.Connection;

/**
 * The leader's connection, lent to one run at a time. {@link #end} gives it back; a run that found it broken says
 * so, and the replica steps down.
 */
public final class Lease {
    private final FleetMember member;
    private final Connection connection;
    private boolean ended;

    Lease(FleetMember member, Connection connection) {
        this.member = member;
        this.connection = connection;
    }

    /** The connection that holds the fleet's lock; never to be closed by the run. */
    public Connection connection() {
        return connection;
    }

    /** Whether the connection still answers, within {@value FleetMember#VALID_SECONDS} s. */
    public boolean isValid() {
        try {
            return connection.isValid(FleetMember.VALID_SECONDS);
        } catch (Throwable t) {
            return false;
        }
    }

    /** Gives the connection back to the leader; {@code broken} makes it step down and try the lock again. */
    public synchronized void end(boolean broken) {
        if (!ended) {
            ended = true;
            member.giveBack(broken);
        }
    }
}
