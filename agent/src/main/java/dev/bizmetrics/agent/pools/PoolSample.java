package dev.bizmetrics.agent.pools;

/**
 * One reading of a pool's state through its own public API ({@link PoolSampler}). Immutable. A count the pool does
 * not tell (or whose getter failed) is -1. The names are those of the OpenTelemetry database client metrics.
 */
public final class PoolSample {

    private final int used;
    private final int idle;
    private final int max;
    private final int idleMin;
    private final int idleMax;
    private final int pending;
    private final long timeouts;

    public PoolSample(int used, int idle, int max, int idleMin, int idleMax, int pending, long timeouts) {
        this.used = used;
        this.idle = idle;
        this.max = max;
        this.idleMin = idleMin;
        this.idleMax = idleMax;
        this.pending = pending;
        this.timeouts = timeouts;
    }

    /** Connections lent out now: {@code db.client.connection.count{state=used}}. */
    public int used() {
        return used;
    }

    /** Connections open and idle now, as the pool counts them: {@code db.client.connection.count{state=idle}}. */
    public int idle() {
        return idle;
    }

    /** The most connections the pool opens: {@code db.client.connection.max}. */
    public int max() {
        return max;
    }

    /**
     * The fewest idle connections the pool keeps: {@code db.client.connection.idle.min}; for c3p0 and Agroal (and UCP
     * before 21c), which have no such setting, their minimum of open connections.
     */
    public int idleMin() {
        return idleMin;
    }

    /** The most idle connections the pool keeps: {@code db.client.connection.idle.max}. */
    public int idleMax() {
        return idleMax;
    }

    /** Threads waiting for a connection now: {@code db.client.connection.pending_requests}. */
    public int pending() {
        return pending;
    }

    /**
     * Requests that timed out waiting for a connection, since the pool started (a counter):
     * {@code db.client.connection.timeouts}.
     */
    public long timeouts() {
        return timeouts;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PoolSample)) {
            return false;
        }
        PoolSample other = (PoolSample) o;
        return used == other.used && idle == other.idle && max == other.max && idleMin == other.idleMin
                && idleMax == other.idleMax && pending == other.pending && timeouts == other.timeouts;
    }

    @Override
    public int hashCode() {
        int h = used;
        h = 31 * h + idle;
        h = 31 * h + max;
        h = 31 * h + idleMin;
        h = 31 * h + idleMax;
        h = 31 * h + pending;
        return 31 * h + (int) (timeouts ^ (timeouts >>> 32));
    }

    @Override
    public String toString() {
        return "PoolSample{used=" + used + ", idle=" + idle + ", max=" + max + ", idleMin=" + idleMin + ", idleMax="
                + idleMax + ", pending=" + pending + ", timeouts=" + timeouts + '}';
    }
}
