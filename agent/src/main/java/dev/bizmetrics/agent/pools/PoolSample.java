package dev.bizmetrics.agent.pools;

/** Placeholder until the sampler lands. */
public final class PoolSample {
    public int used() { return -1; }
    public int idle() { return -1; }
    public int max() { return -1; }
    public int idleMin() { return -1; }
    public int idleMax() { return -1; }
    public int pending() { return -1; }
    public long timeouts() { return -1; }
}
