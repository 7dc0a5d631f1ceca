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
    private final double waitSeconds;
    private final long acquisitions;

    /** The wait time is known only with its count: either both are at least 0 or both are -1. */
    public PoolSample(int used, int idle, int max, int idleMin, int idleMax, int pending, long timeouts,
                      double waitSeconds, long acquisitions) {
        this.used = used;
        this.idle = idle;
        this.max = max;
        this.idleMin = idleMin;
        this.idleMax = idleMax;
        this.pending = pending;
        this.timeouts = timeouts;
        boolean waitKnown = waitSeconds >= 0 && acquisitions >= 0;
        this.waitSeconds = waitKnown ? waitSeconds : -1;
        this.acquisitions = waitKnown ? acquisitions : -1;
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

    /**
     * Seconds the requests for a connection waited in all, since the pool started, where the pool adds them up:
     * the sum of {@code db.client.connection.wait_time}.
     */
    public double waitSeconds() {
        return waitSeconds;
    }

    /** The requests for a connection those waits are of (connections handed out): its count. */
    public long acquisitions() {
        return acquisitions;
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
                && idleMax == other.idleMax && pending == other.pending && timeouts == other.timeouts
                && Double.compare(waitSeconds, other.waitSeconds) == 0 && acquisitions == other.acquisitions;
    }

    @Override
    public int hashCode() {
        int h = used;
        h = 31 * h + idle;
        h = 31 * h + max;
        h = 31 * h + idleMin;
        h = 31 * h + idleMax;
        h = 31 * h + pending;
        h = 31 * h + (int) (timeouts ^ (timeouts >>> 32));
        h = 31 * h + Double.valueOf(waitSeconds).hashCode();
        return 31 * h + (int) (acquisitions ^ (acquisitions >>> 32));
    }

    @Override
    public String toString() {
        return "PoolSample{used=" + used + ", idle=" + idle + ", max=" + max + ", idleMin=" + idleMin + ", idleMax="
                + idleMax + ", pending=" + pending + ", timeouts=" + timeouts + ", waitSeconds=" + waitSeconds
                + ", acquisitions=" + acquisitions + '}';
    }
}
