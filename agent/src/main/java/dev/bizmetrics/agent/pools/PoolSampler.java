package dev.bizmetrics.agent.pools;

import dev.bizmetrics.agent.log.Log;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reads a recognised pool's state through the getters {@link PoolCatalog} lists for it ({@link
 * PoolCatalog.StateReads}): a few reflective calls on members resolved once per class, no connection, no lock but
 * those the pool's own getters take.
 */
public final class PoolSampler {

    private PoolSampler() {
    }

    /**
     * The state of a pool instance of a recognised class now, or null when the class is not a pool in the catalog or
     * the pool has not started yet (e.g. Hikari's getHikariPoolMXBean() is null before the first connection), or
     * cannot say whether it has. Never creates a connection, never throws, never waits on anything but the pool's
     * own getters. A getter that is missing (another version of the library) or throws makes its field -1.
     */
    public static PoolSample sample(Object pool) {
        try {
            PoolCatalog.Entry entry = PoolCatalog.entryFor(pool);
            PoolCatalog.StateReads reads = entry == null ? null : entry.stateReads();
            if (reads == null) {
                return null;
            }
            Object live = live(pool, reads);
            if (live == null) {
                return null;
            }
            boolean counts = counts(pool, reads.countsWhen);
            boolean waits = counts(pool, reads.waitsCountedWhen);
            return new PoolSample(
                    counts ? (int) number(live, reads.used) : -1,
                    counts ? (int) number(live, reads.idle) : -1,
                    (int) number(pool, entry.maxSize),
                    (int) number(pool, reads.idleMin),
                    (int) number(pool, reads.idleMax),
                    waits ? (int) number(live, reads.pending) : -1,
                    waits ? longNumber(live, reads.timeouts) : -1,
                    counts ? seconds(live, reads.waitTime, reads.waitTimeUnit) : -1,
                    counts ? longNumber(live, reads.acquisitions) : -1);
        } catch (Throwable t) {
            return null;
        }
    }

    /**
     * Threads waiting for a connection of this pool now, -1 when unknown (not a pool of the catalog, not started,
     * or the pool does not tell): one getter, for a query thread about to borrow.
     */
    public static int pending(Object pool) {
        try {
            PoolCatalog.Entry entry = PoolCatalog.entryFor(pool);
            PoolCatalog.StateReads reads = entry == null ? null : entry.stateReads();
            if (reads == null) {
                return -1;
            }
            Object live = live(pool, reads);
            return live == null || !counts(pool, reads.waitsCountedWhen) ? -1 : (int) number(live, reads.pending);
        } catch (Throwable t) {
            return -1;
        }
    }

    /** Whether the pool counts what the condition is about: no condition, or one that reads true. */
    private static boolean counts(Object pool, GetterPath[] condition) {
        return condition.length == 0 || isOn(pool, condition);
    }

    /** The object the counts are read on, or null while the pool has not started (or cannot tell that it has). */
    private static Object live(Object pool, PoolCatalog.StateReads reads) {
        if (reads.started.length > 0 && !isOn(pool, reads.started)) {
            return null;
        }
        if (reads.live.length == 0) {
            return pool;
        }
        for (GetterPath path : reads.live) {
            Object value = read(pool, path);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** Whether the first path that gives a value gives something but null, false or 0. */
    private static boolean isOn(Object pool, GetterPath[] paths) {
        for (GetterPath path : paths) {
            Object value = read(pool, path);
            if (value != null) {
                return !Boolean.FALSE.equals(value) && !(value instanceof Number && ((Number) value).longValue() == 0);
            }
        }
        return false;
    }

    /** The first number the paths give, clamped to an int's range; -1 when none does or a getter throws. */
    private static long number(Object target, GetterPath[] paths) {
        long value = longNumber(target, paths);
        return value > Integer.MAX_VALUE ? Integer.MAX_VALUE : Math.max(value, Integer.MIN_VALUE);
    }

    private static long longNumber(Object target, GetterPath[] paths) {
        for (GetterPath path : paths) {
            Object value;
            try {
                value = path.readOrThrow(target);
            } catch (Throwable t) {
                debug(target, path, t);
                return -1;
            }
            if (value instanceof Number) {
                return ((Number) value).longValue();
            }
        }
        return -1;
    }

    /** The first time the paths give, a number in the unit or a Duration, in seconds; -1 when none does. */
    private static double seconds(Object target, GetterPath[] paths, TimeUnit unit) {
        for (GetterPath path : paths) {
            Object value = read(target, path);
            if (value instanceof Duration) {
                Duration duration = (Duration) value;
                return duration.getSeconds() + duration.getNano() / 1e9;
            }
            if (value instanceof Number && unit != null) {
                return ((Number) value).doubleValue() * unit.toNanos(1) / 1e9;
            }
        }
        return -1;
    }

    private static Object read(Object target, GetterPath path) {
        try {
            return path.readOrThrow(target);
        } catch (Throwable t) {
            debug(target, path, t);
            return null;
        }
    }

    private static void debug(Object target, GetterPath path, Throwable t) {
        if (Log.isDebug()) {
            Log.debug("pool state: could not read " + path + " of " + target.getClass().getName() + ": "
                    + Log.describe(t));
        }
    }
}
