package dev.bizmetrics.agent.discovery;

import dev.bizmetrics.agent.pools.PoolCatalog;

import java.lang.ref.WeakReference;

/**
 * A DataSource the agent has seen, as shown to users: its class, whether it is a pool, its pool name, its JDBC
 * URL without credentials, its owner in a container (web application context path, class loader name) and the JNDI
 * name it was found under. Holds the instance weakly.
 */
public final class DataSourceDescription {
    private final WeakReference<Object> instance;
    private final int identity;
    private final String className;
    private final PoolCatalog.Kind kind;
    private final String poolName;
    private final String url;
    private final String user;
    private final boolean used;
    private final Owner owner;
    private final String jndiName;

    DataSourceDescription(Object instance, String className, PoolCatalog.Kind kind, String poolName, String url,
                          String user, boolean used, Owner owner, String jndiName) {
        this.instance = new WeakReference<Object>(instance);
        this.identity = System.identityHashCode(instance);
        this.className = className;
        this.kind = kind;
        this.poolName = poolName;
        this.url = url;
        this.user = user;
        this.used = used;
        this.owner = owner;
        this.jndiName = jndiName;
    }

    /** The same DataSource, known to be published under this JNDI name. */
    DataSourceDescription withJndiName(String name) {
        Object alive = instance.get();
        return name.equals(jndiName) || alive == null ? this
                : new DataSourceDescription(alive, className, kind, poolName, url, user, used, owner, name);
    }

    /** Same class, same URL, same user: the same database, seen through another DataSource. */
    boolean sameDatabaseAs(DataSourceDescription other) {
        return className.equals(other.className) && url.equals(other.url) && user.equals(other.user);
    }

    /** The web application's context path ({@code /shop}, {@code /} for the root one), or "" outside one. */
    public String contextPath() {
        return owner.contextPath();
    }

    /** The name of the class loader of the application that created it, or "" when unknown. */
    public String loaderName() {
        return owner.loaderName();
    }

    /** The JNDI name a {@code jndi:} look-up found it under, or "". */
    public String jndiName() {
        return jndiName;
    }

    /** Its owner and JNDI name in one line for the status page and logs, e.g. {@code context /shop, jndi ...}; "". */
    public String ownerText() {
        StringBuilder text = new StringBuilder();
        if (!contextPath().isEmpty()) {
            text.append("context ").append(contextPath());
        }
        if (!loaderName().isEmpty()) {
            text.append(text.length() == 0 ? "" : ", ").append("loader ").append(loaderName());
        }
        if (!jndiName.isEmpty()) {
            text.append(text.length() == 0 ? "" : ", ").append("jndi ").append(jndiName);
        }
        return text.toString();
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
