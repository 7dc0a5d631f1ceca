package dev.bizmetrics.bootstrap;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Receives every DataSource instance the woven hooks see, and every class {@code java.lang.ClassLoader} defines once
 * the agent has hooked it ({@link #defining}). It lives on the bootstrap class path so that a hook
 * inlined into a class of any class loader can call it, hence JDK types only and {@code Object} in signatures
 * ({@code java.sql} is not visible from the boot loader on Java 9+).
 *
 * <p>The hook runs on the host's {@code getConnection} path: the common case (an instance already known) is a
 * volatile read and an identity scan of a handful of weak references, without locking or allocation. Instances are
 * held weakly so that an undeployed web application is not kept alive.
 */
public final class DataSourceRegistry {

    private static final Object LOCK = new Object();
    @SuppressWarnings("unchecked")
    private static volatile WeakReference<Object>[] seen = new WeakReference[0];
    private static volatile int version;
    /** The weaver of each pool class by binary name; null until the agent hooks {@code java.lang.ClassLoader}. */
    private static volatile Map<String, Function<byte[], byte[]>> weavers;

    private DataSourceRegistry() {
    }

    /** Called by the woven hooks. Never throws. */
    public static void seen(Object dataSource) {
        try {
            if (dataSource == null || contains(seen, dataSource)) {
                return;
            }
            synchronized (LOCK) {
                WeakReference<Object>[] current = seen;
                if (contains(current, dataSource)) {
                    return;
                }
                List<WeakReference<Object>> next = new ArrayList<WeakReference<Object>>(current.length + 1);
                for (WeakReference<Object> ref : current) {
                    if (ref.get() != null) {
                        next.add(ref);
                    }
                }
                next.add(new WeakReference<Object>(dataSource));
                @SuppressWarnings("unchecked")
                WeakReference<Object>[] array = next.toArray(new WeakReference[0]);
                seen = array;
                version++;
            }
        } catch (Throwable ignored) {
            // The host's getConnection must never fail because of us.
        }
    }

    /**
     * Called from {@code java.lang.ClassLoader.defineClass(String, byte[], int, int, ProtectionDomain)} for every
     * class defined, once the agent has woven it there: returns {@code b} itself, or the woven class file of a pool
     * class (defined from offset 0 to its end). Never throws.
     */
    public static byte[] defining(String name, byte[] b, int off, int len) {
        Function<byte[], byte[]> weaver = weaverFor(name);
        if (weaver == null) {
            return b;
        }
        try {
            byte[] woven = weaver.apply(off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len));
            return woven == null ? b : woven;
        } catch (Throwable ignored) {
            return b; // Defining a class of the host must never fail because of us.
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
        } catch (Throwable ignored) {
            return b;
        }
    }

    private static Function<byte[], byte[]> weaverFor(String name) {
        Map<String, Function<byte[], byte[]>> current = weavers;
        return current == null || name == null ? null : current.get(name);
    }

    /**
     * Sets the weaver of each class, by binary name, for {@link #defining}: it returns the woven class file, or null
     * to leave it as it is. Null for none.
     */
    public static void weaveOnDefinition(Map<String, Function<byte[], byte[]>> weaversByClassName) {
        weavers = weaversByClassName;
    }

    /** The instances seen so far that are still alive, in the order they were first seen. */
    public static Object[] snapshot() {
        WeakReference<Object>[] current = seen;
        List<Object> alive = new ArrayList<Object>(current.length);
        for (WeakReference<Object> ref : current) {
            Object instance = ref.get();
            if (instance != null) {
                alive.add(instance);
            }
        }
        return alive.toArray();
    }

    /** Changes whenever a new instance is seen, so that readers can skip work when nothing changed. */
    public static int version() {
        return version;
    }

    private static boolean contains(WeakReference<Object>[] refs, Object instance) {
        for (WeakReference<Object> ref : refs) {
            if (ref.get() == instance) {
                return true;
            }
        }
        return false;
    }
}
