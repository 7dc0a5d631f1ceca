package dev.bizmetrics.bootstrap;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What the woven hooks of the host's classes report to, on the bootstrap class path so that a hook inlined into a
 * class of any class loader reaches one and the same registry: the DataSources created ({@link #created}) and asked
 * for connections ({@link #used}), and, once the agent hooks {@code java.lang.ClassLoader}, every class being
 * defined ({@link #defining}). JDK types only, and {@code Object} for DataSources: {@code java.sql} is not visible
 * from the boot loader on Java 9+.
 *
 * <p>{@link #used} runs on the host's {@code getConnection} path: for an instance known and used already it is a
 * volatile read and an identity scan of a handful of weak references, without locking or allocation. Instances are
 * held weakly, so that an undeployed web application is not kept alive. Nothing here throws into the host: an error
 * is counted ({@link #hookErrors}) and the host's method goes on.
 */
public final class DataSourceRegistry {

    /** One DataSource seen: held weakly, with whether the host has asked it for a connection. */
    private static final class Seen extends WeakReference<Object> {
        volatile boolean used;

        Seen(Object instance, boolean used) {
            super(instance);
            this.used = used;
        }
    }

    private static final Object LOCK = new Object();
    private static volatile Seen[] seen = new Seen[0];
    private static volatile int version;
    private static final AtomicLong HOOK_ERRORS = new AtomicLong();
    /** Set once by the agent: a weaver by binary class name; null until it hooks {@code java.lang.ClassLoader}. */
    private static final AtomicReference<Map<String, Function<byte[], byte[]>>> WEAVERS =
            new AtomicReference<Map<String, Function<byte[], byte[]>>>();

    private DataSourceRegistry() {
    }

    /** Called at the end of every constructor of a hooked class. */
    public static void created(Object dataSource) {
        record(dataSource, false);
    }

    /** Called at the entry of a hooked class's {@code getConnection}. */
    public static void used(Object dataSource) {
        record(dataSource, true);
    }

    private static void record(Object dataSource, boolean used) {
        try {
            if (dataSource == null) {
                return;
            }
            Seen known = find(seen, dataSource);
            if (known != null && (known.used || !used)) {
                return;
            }
            synchronized (LOCK) {
                Seen[] current = seen;
                known = find(current, dataSource);
                if (known != null) {
                    if (used && !known.used) {
                        known.used = true;
                        version++;
                    }
                    return;
                }
                List<Seen> next = new ArrayList<Seen>(current.length + 1);
                for (Seen entry : current) {
                    if (entry.get() != null) {
                        next.add(entry);
                    }
                }
                next.add(new Seen(dataSource, used));
                seen = next.toArray(new Seen[0]);
                version++;
            }
        } catch (Throwable t) {
            HOOK_ERRORS.incrementAndGet(); // the host's constructor or getConnection must never fail because of us
        }
    }

    private static Seen find(Seen[] entries, Object instance) {
        for (Seen entry : entries) {
            if (entry.get() == instance) {
                return entry;
            }
        }
        return null;
    }

    /** The instances seen so far that are still alive, in the order they were first seen. */
    public static Object[] snapshot() {
        Seen[] current = seen;
        List<Object> alive = new ArrayList<Object>(current.length);
        for (Seen entry : current) {
            Object instance = entry.get();
            if (instance != null) {
                alive.add(instance);
            }
        }
        return alive.toArray();
    }

    /** Whether the host has asked this instance for a connection since the agent started. */
    public static boolean isUsed(Object instance) {
        Seen entry = find(seen, instance);
        return entry != null && entry.used;
    }

    /**
     * Changes whenever an instance is first seen or first used, so that a reader does its work only then. An
     * instance collected does not change it: a reader that holds descriptions checks their references.
     */
    public static int version() {
        return version;
    }

    /** Errors the hooks and the definition handler swallowed so that the host's code went on. */
    public static long hookErrors() {
        return HOOK_ERRORS.get();
    }

    /**
     * Sets, once, what {@link #defining} hands class definitions to: for a class whose binary name is a key, the
     * function returns the class file to define instead, or null to define it as it is. Every other class costs one
     * map lookup and is left alone.
     *
     * @return false when weavers were set already (they stay)
     */
    public static boolean weaveDefinitions(Map<String, Function<byte[], byte[]>> weaversByClassName) {
        return WEAVERS.compareAndSet(null, weaversByClassName);
    }

    /**
     * Called from {@code java.lang.ClassLoader.defineClass(String, byte[], int, int, ProtectionDomain)} for every
     * class defined, once the agent has woven it there: returns {@code b} itself, or the class file to define instead
     * (from offset 0 to its end).
     */
    public static byte[] defining(String name, byte[] b, int off, int len) {
        Function<byte[], byte[]> weaver = weaverFor(name);
        if (weaver == null) {
            return b;
        }
        try {
            byte[] woven = weaver.apply(off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len));
            return woven == null ? b : woven;
        } catch (Throwable t) {
            HOOK_ERRORS.incrementAndGet(); // defining a class of the host must never fail because of us
            return b;
        }
    }

    /** The same for {@code defineClass(String, ByteBuffer, ProtectionDomain)}; {@code b} is left as it was. */
    public static ByteBuffer defining(String name, ByteBuffer b) {
        Function<byte[], byte[]> weaver = weaverFor(name);
        if (weaver == null) {
            return b;
        }
        try {
            byte[] classFile = new byte[b.remaining()];
            b.duplicate().get(classFile);
            byte[] woven = weaver.apply(classFile);
            return woven == null ? b : ByteBuffer.wrap(woven);
        } catch (Throwable t) {
            HOOK_ERRORS.incrementAndGet();
            return b;
        }
    }

    private static Function<byte[], byte[]> weaverFor(String name) {
        Map<String, Function<byte[], byte[]>> weavers = WEAVERS.get();
        return weavers == null || name == null ? null : weavers.get(name);
    }
}
