package dev.bizmetrics.bootstrap;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
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

    private static final Object LOCK = new Object();
    /** Use flags: not asked for a connection, asked by the host, asked only by the agent's own threads. */
    private static final int UNUSED = 0;
    private static final int USED = 1;
    private static final int USED_BY_AGENT = 2;
    /**
     * The DataSources seen, weakly, whether the host has asked each for a connection ({@link #USED}), only the agent
     * ({@link #USED_BY_AGENT}) or none ({@link #UNUSED}), and the context
     * class loader of the thread that first reported it (its owner: in a container, the web application's loader),
     * weakly, and the context class loader of the host thread that first used it (a web application using a server's
     * shared pool), weakly, by index: {@code {WeakReference[] instances, AtomicIntegerArray used,
     * WeakReference[] owners, AtomicReferenceArray<WeakReference> users}},
     * replaced whole under {@link #LOCK}. Arrays in one reference rather than a class of entries: the bootstrap jar
     * holds this one class and nothing else.
     */
    private static volatile Object[] state = {new WeakReference<?>[0], new AtomicIntegerArray(0),
            new WeakReference<?>[0], new AtomicReferenceArray<WeakReference<ClassLoader>>(0)};
    private static volatile int version;
    private static final AtomicLong HOOK_ERRORS = new AtomicLong();
    /** Told when an instance is first seen or first used; set by the running agent, null while none runs. */
    private static final AtomicReference<Runnable> NEWS = new AtomicReference<Runnable>();
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

    private static void record(Object dataSource, boolean use) {
        try {
            if (dataSource == null) {
                return;
            }
            Object[] current = state;
            int index = indexOf((WeakReference<?>[]) current[0], dataSource);
            if (index >= 0 && (!use || ((AtomicIntegerArray) current[1]).get(index) == USED)) {
                return;
            }
            // Only here, off the host's path once it has used the instance: the agent's own use is not the host's.
            int mark = use ? (isAgentThread() ? USED_BY_AGENT : USED) : UNUSED;
            if (index >= 0 && ((AtomicIntegerArray) current[1]).get(index) == mark) {
                return;
            }
            if (add(dataSource, use, mark)) {
                Runnable listener = NEWS.get();
                if (listener != null) {
                    listener.run();
                }
            }
        } catch (Throwable t) {
            HOOK_ERRORS.incrementAndGet(); // the host's constructor or getConnection must never fail because of us
        }
    }

    /** Records a new instance or a new use mark; whether that was news. */
    private static boolean add(Object dataSource, boolean use, int mark) {
        synchronized (LOCK) {
            Object[] current = state;
            WeakReference<?>[] instances = (WeakReference<?>[]) current[0];
            AtomicIntegerArray used = (AtomicIntegerArray) current[1];
            WeakReference<?>[] owners = (WeakReference<?>[]) current[2];
            @SuppressWarnings("unchecked")
            AtomicReferenceArray<WeakReference<ClassLoader>> users =
                    (AtomicReferenceArray<WeakReference<ClassLoader>>) current[3];
            int index = indexOf(instances, dataSource);
            if (index >= 0) {
                int before = used.get(index);
                if (use && before != USED && before != mark) {
                    if (mark == USED) {
                        users.set(index, new WeakReference<ClassLoader>(contextLoader()));
                    }
                    used.set(index, mark);
                    version++;
                    return true;
                }
                return false;
            }
            List<WeakReference<?>> nextInstances = new ArrayList<WeakReference<?>>(instances.length + 1);
            List<Integer> nextUsed = new ArrayList<Integer>(instances.length + 1);
            List<WeakReference<?>> nextOwners = new ArrayList<WeakReference<?>>(instances.length + 1);
            List<WeakReference<ClassLoader>> nextUsers = new ArrayList<WeakReference<ClassLoader>>();
            for (int i = 0; i < instances.length; i++) {
                if (instances[i].get() != null) {
                    nextInstances.add(instances[i]);
                    nextUsed.add(used.get(i));
                    nextOwners.add(owners[i]);
                    nextUsers.add(users.get(i));
                }
            }
            nextInstances.add(new WeakReference<Object>(dataSource));
            nextUsed.add(mark);
            nextOwners.add(new WeakReference<ClassLoader>(contextLoader()));
            nextUsers.add(mark == USED ? new WeakReference<ClassLoader>(contextLoader()) : null);
            AtomicIntegerArray flags = new AtomicIntegerArray(nextUsed.size());
            for (int i = 0; i < nextUsed.size(); i++) {
                flags.set(i, nextUsed.get(i));
            }
            AtomicReferenceArray<WeakReference<ClassLoader>> userRefs =
                    new AtomicReferenceArray<WeakReference<ClassLoader>>(nextUsers.size());
            for (int i = 0; i < nextUsers.size(); i++) {
                userRefs.set(i, nextUsers.get(i));
            }
            state = new Object[] {nextInstances.toArray(new WeakReference<?>[0]), flags,
                    nextOwners.toArray(new WeakReference<?>[0]), userRefs};
            version++;
            return true;
        }
    }

    /** The current thread's context class loader; null when a security manager refuses it. */
    private static ClassLoader contextLoader() {
        try {
            return Thread.currentThread().getContextClassLoader();
        } catch (Throwable t) {
            return null;
        }
    }

    private static int indexOf(WeakReference<?>[] instances, Object instance) {
        for (int i = 0; i < instances.length; i++) {
            if (instances[i].get() == instance) {
                return i;
            }
        }
        return -1;
    }

    /** The instances seen so far that are still alive, in the order they were first seen. */
    public static Object[] snapshot() {
        WeakReference<?>[] instances = (WeakReference<?>[]) state[0];
        List<Object> alive = new ArrayList<Object>(instances.length);
        for (WeakReference<?> entry : instances) {
            Object instance = entry.get();
            if (instance != null) {
                alive.add(instance);
            }
        }
        return alive.toArray();
    }

    /**
     * Whether the host has asked this instance for a connection since the agent started (the agent's own threads,
     * named {@code bizmetrics-*}, do not count: "used" says which pool the application uses).
     */
    public static boolean isUsed(Object instance) {
        return useFlag(instance) == USED;
    }

    /** Whether anyone, the host or the agent, has asked this instance for a connection: it may have started. */
    public static boolean isStarted(Object instance) {
        return useFlag(instance) != UNUSED;
    }

    private static int useFlag(Object instance) {
        Object[] current = state;
        int index = indexOf((WeakReference<?>[]) current[0], instance);
        return index < 0 ? UNUSED : ((AtomicIntegerArray) current[1]).get(index);
    }

    private static boolean isAgentThread() {
        try {
            return Thread.currentThread().getName().startsWith("bizmetrics-");
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * The context class loader of the host thread that created this instance (or, when it was created before the
     * agent came, first asked it for a connection): in a container, the loader of the web application it belongs to.
     * Null when unknown, collected or the thread had none.
     */
    public static ClassLoader owner(Object instance) {
        Object[] current = state;
        int index = indexOf((WeakReference<?>[]) current[0], instance);
        return index < 0 ? null : (ClassLoader) ((WeakReference<?>[]) current[2])[index].get();
    }

    /**
     * The context class loader of the host thread that first asked this instance for a connection (a web
     * application using a pool the server created), or null.
     */
    public static ClassLoader firstUser(Object instance) {
        Object[] current = state;
        int index = indexOf((WeakReference<?>[]) current[0], instance);
        if (index < 0) {
            return null;
        }
        @SuppressWarnings("unchecked")
        WeakReference<ClassLoader> user = ((AtomicReferenceArray<WeakReference<ClassLoader>>) current[3]).get(index);
        return user == null ? null : user.get();
    }

    /**
     * Changes whenever an instance is first seen or first used, so that a reader does its work only then. An
     * instance collected does not change it: a reader that holds descriptions checks their references.
     */
    public static int version() {
        return version;
    }

    /**
     * Sets what is told, on the host's thread that made the news and outside any lock of ours, that an instance was
     * first seen or first used: it must only hand the news to a thread of the agent. Replaces the one set before.
     */
    public static void tellNews(Runnable listener) {
        NEWS.set(listener);
    }

    /** Stops telling {@code listener}, unless another was set since. */
    public static void stopNews(Runnable listener) {
        NEWS.compareAndSet(listener, null);
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
