package dev.bizmetrics.bootstrap;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meeting point of the agent and the application's own Prometheus registries, on the bootstrap class path so
 * that the constructor hooks woven into the registry classes of any class loader, and the adapters the agent defines
 * into those loaders, reach one and the same class. JDK types only.
 *
 * <p>Two directions: the woven constructors report each registry created ({@link #created}), held weakly; the agent
 * publishes its last metrics here in a plain form ({@link #publish}) that the adapters read and convert when the host
 * scrapes ({@link #families}). A scrape only reads one volatile reference: nothing here blocks, and nothing throws
 * into the host.
 *
 * <p>The plain form, built by the agent's {@code hostexport.PlainFamilies}: an array of families, each
 * {@code {String kind, String name, String help, Object[] points}}, kind one of {@code counter}, {@code gauge},
 * {@code info}, {@code histogram}, {@code summary}; each point {@code {String[] labelNames, String[] labelValues,
 * double[] numbers, Long timestampMillis or null}}; numbers are {@code {value}} for a counter or gauge, none for an
 * info, {@code {sum, bound, count, bound, count...}} (counts per bucket, not cumulative) for a histogram and
 * {@code {sum or NaN, count or -1, quantile, value, ...}} for a summary.
 */
public final class HostRegistries {

    private static final Object LOCK = new Object();
    private static volatile WeakReference<?>[] seen = new WeakReference<?>[0];
    private static volatile int version;
    private static volatile Object[] families = new Object[0];
    private static final AtomicLong ERRORS = new AtomicLong();

    private HostRegistries() {
    }

    /** Called at the end of every constructor of a hooked registry class. */
    public static void created(Object registry) {
        try {
            if (registry == null) {
                return;
            }
            synchronized (LOCK) {
                List<WeakReference<?>> next = new ArrayList<WeakReference<?>>(seen.length + 1);
                for (WeakReference<?> entry : seen) {
                    Object known = entry.get();
                    if (known == registry) {
                        return; // a constructor calling another: one registry
                    }
                    if (known != null) {
                        next.add(entry);
                    }
                }
                next.add(new WeakReference<Object>(registry));
                seen = next.toArray(new WeakReference<?>[0]);
                version++;
            }
        } catch (Throwable t) {
            ERRORS.incrementAndGet(); // the host's registry must be created whatever happens here
        }
    }

    /** The registries seen so far that are still alive, in the order they were created. */
    public static Object[] registries() {
        List<Object> alive = new ArrayList<Object>();
        for (WeakReference<?> entry : seen) {
            Object registry = entry.get();
            if (registry != null) {
                alive.add(registry);
            }
        }
        return alive.toArray();
    }

    /** Changes whenever a registry is first seen. */
    public static int version() {
        return version;
    }

    /** Replaces what the adapters serve; the array and its contents must not change afterwards. */
    public static void publish(Object[] plainFamilies) {
        families = plainFamilies;
    }

    /** What the adapters serve: the agent's last published metrics, never null. */
    public static Object[] families() {
        return families;
    }

    /** Counts an error an adapter or a hook swallowed so that the host went on. */
    public static void failed() {
        ERRORS.incrementAndGet();
    }

    public static long errors() {
        return ERRORS.get();
    }
}
