package dev.bizmetrics.bootstrap;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Receives every DataSource instance the woven hooks see, and every class {@code java.lang.ClassLoader} defines once
 * the agent has hooked it ({@link #defined}). It lives on the bootstrap class path so that a hook
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
    /** Told of every class defined; null until the agent hooks {@code java.lang.ClassLoader}. */
    private static volatile Consumer<Class<?>> definitions;

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
     * Called from {@code java.lang.ClassLoader.postDefineClass} for every class defined, once the agent has woven it
     * there. Never throws.
     */
    public static void defined(Class<?> type) {
        Consumer<Class<?>> listener = definitions;
        if (listener != null) {
            try {
                listener.accept(type);
            } catch (Throwable ignored) {
                // Defining a class of the host must never fail because of us.
            }
        }
    }

    /** Sets who is told of each class defined, or null for nobody. */
    public static void listen(Consumer<Class<?>> listener) {
        definitions = listener;
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
