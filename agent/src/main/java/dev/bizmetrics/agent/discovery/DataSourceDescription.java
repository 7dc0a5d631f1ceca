package dev.bizmetrics.agent.discovery;

import dev.bizmetrics.agent.pools.PoolCatalog;

import java.lang.ref.WeakReference;

/**
 * A DataSource the agent has seen, as shown to users: its class, whether it is a pool, its pool name and its JDBC
 * URL without credentials. Holds the instance weakly.
 */
public final class DataSourceDescription {
    private final WeakReference<Object> instance;
    private final int identity;
    private final String className;
    private final PoolCatalog.Kind kind;
    private final String poolName;
    private final String url;
    private final boolean used;

    DataSourceDescription(Object instance, String className, PoolCatalog.Kind kind, String poolName, String url,
                          boolean used) {
        this.instance = new WeakReference<Object>(instance);
        this.identity = System.identityHashCode(instance);
        this.className = className;
        this.kind = kind;
        this.poolName = poolName;
        this.url = url;
        this.used = used;
    }

    /** The instance, or null once the application has let it go. */
    public Object instance() {
        return instance.get();
    }

    /** A short id that tells two instances of one class apart on the status page and in logs. */
    public String id() {
        return className.substring(className.lastIndexOf('.') + 1) + "@" + Integer.toHexString(identity);
    }

    public String className() {
        return className;
    }

    public boolean isPool() {
        return kind == PoolCatalog.Kind.POOL;
    }

    /** The pool's name, or "" when it has none. */
    public String poolName() {
        return poolName;
    }

    /** Whether the application has asked it for a connection since the agent started. */
    public boolean isUsed() {
        return used;
    }

    /** The JDBC URL without user or password, or "" when unknown. */
    public String url() {
        return url;
    }
}
