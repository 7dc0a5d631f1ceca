package dev.bizmetrics.agent.pools;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The DataSource classes bizmetrics recognises, by exact name, with what they are and how to read their pool name
 * and JDBC URL. The one table both instrumentation (which classes and methods to hook) and discovery (how to
 * describe an instance) read. Loading it touches no host class.
 */
public final class PoolCatalog {

    /** Whether a DataSource is a connection pool or something a pool may wrap. */
    public enum Kind {
        /** A connection pool: the only kind {@code match=auto} binds. */
        POOL,
        /** An unpooled or inner DataSource: bound only when a selector names it and no pool matches. */
        UNPOOLED
    }

    /** One recognised class. Property paths are getter chains such as {@code getDataSourceProperties.url}. */
    public static final class Entry {
        private final String className;
        private final Kind kind;
        private final String[] poolNameReads;
        private final String[] urlReads;
        private final String[] maxSizeReads;
        final GetterPath[] maxSize;
        private final StateReads state;

        Entry(String className, Kind kind, String[] poolNameReads, String[] urlReads, String[] maxSizeReads,
              StateReads state) {
            this.className = className;
            this.kind = kind;
            this.poolNameReads = poolNameReads;
            this.urlReads = urlReads;
            this.maxSizeReads = maxSizeReads;
            this.maxSize = GetterPath.all(maxSizeReads);
            this.state = state;
        }

        public String className() {
            return className;
        }

        public Kind kind() {
            return kind;
        }

        /** Property paths that give the pool's name, first non-empty wins. */
        public String[] poolNameReads() {
            return poolNameReads.clone();
        }

        /** Property paths that give the pool's JDBC URL, first non-empty wins. */
        public String[] urlReads() {
            return urlReads.clone();
        }

        /** Property paths that give the most connections the pool opens, first number wins. */
        public String[] maxSizeReads() {
            return maxSizeReads.clone();
        }

        /** How to read the pool's state now ({@link PoolSampler}); null for a class that is not a pool. */
        public StateReads stateReads() {
            return state;
        }
    }

    /**
     * How {@link PoolSampler} reads a pool's state through the pool's own public API (or, where the API would start
     * the pool, the one field that holds it). The counts of now are read on a live object: the pool object inside
     * the DataSource, or the DataSource itself when no live paths are given; it is null until the pool has started
     * (where the live object is there before, the {@link #startedReads} say when).
     * The configured sizes are read on the DataSource (the maximum is {@link Entry#maxSizeReads}). Each element is a
     * list of alternative paths for the library's versions, the first that gives a number wins; an empty list means
     * the pool does not tell it.
     */
    public static final class StateReads {
        private final String[] startedReads;
        private final String[] liveReads;
        private final String[] countsWhenReads;
        private final String[] waitsCountedWhenReads;
        private final String[] usedReads;
        private final String[] idleReads;
        private final String[] pendingReads;
        private final String[] timeoutReads;
        private final String[] idleMinReads;
        private final String[] idleMaxReads;
        private final String[] waitTimeReads;
        private final String[] acquisitionReads;
        /** The unit of the wait time's number; null: it is a {@link java.time.Duration}. */
        final TimeUnit waitTimeUnit;
        final GetterPath[] started;
        final GetterPath[] live;
        final GetterPath[] countsWhen;
        final GetterPath[] waitsCountedWhen;
        final GetterPath[] used;
        final GetterPath[] idle;
        final GetterPath[] pending;
        final GetterPath[] timeouts;
        final GetterPath[] idleMin;
        final GetterPath[] idleMax;
        final GetterPath[] waitTime;
        final GetterPath[] acquisitions;

        private StateReads(Builder b) {
            startedReads = b.started;
            liveReads = b.live;
            countsWhenReads = b.countsWhen;
            waitsCountedWhenReads = b.waitsCountedWhen;
            usedReads = b.used;
            idleReads = b.idle;
            pendingReads = b.pending;
            timeoutReads = b.timeouts;
            idleMinReads = b.idleMin;
            idleMaxReads = b.idleMax;
            waitTimeReads = b.waitTime;
            acquisitionReads = b.acquisitions;
            waitTimeUnit = b.waitTimeUnit;
            started = GetterPath.all(startedReads);
            live = GetterPath.all(liveReads);
            countsWhen = GetterPath.all(countsWhenReads);
            waitsCountedWhen = GetterPath.all(waitsCountedWhenReads);
            used = GetterPath.all(usedReads);
            idle = GetterPath.all(idleReads);
            pending = GetterPath.all(pendingReads);
            timeouts = GetterPath.all(timeoutReads);
            idleMin = GetterPath.all(idleMinReads);
            idleMax = GetterPath.all(idleMaxReads);
            waitTime = GetterPath.all(waitTimeReads);
            acquisitions = GetterPath.all(acquisitionReads);
        }

        /**
         * Paths on the DataSource that say whether the pool has started, for a pool whose live object exists before
         * its counts can be read without starting it: started unless the value is null, false or 0.
         */
        public String[] startedReads() {
            return startedReads.clone();
        }

        /** Paths on the DataSource to the live object; empty: the DataSource itself. */
        public String[] liveReads() {
            return liveReads.clone();
        }

        /**
         * Paths on the DataSource that say whether the pool counts its used and idle connections at all, for a pool
         * that counts them only when told to: used and idle are -1 unless it reads true (or a number but 0). Empty:
         * always.
         */
        public String[] countsWhenReads() {
            return countsWhenReads.clone();
        }

        /**
         * Like {@link #countsWhenReads()}, for the waiting threads and the timeouts: for a pool that says 0 for them
         * too while it does not count. Empty: always.
         */
        public String[] waitsCountedWhenReads() {
            return waitsCountedWhenReads.clone();
        }

        /** On the live object: connections lent out now. */
        public String[] usedReads() {
            return usedReads.clone();
        }

        /** On the live object: connections open and idle now, as the pool counts them. */
        public String[] idleReads() {
            return idleReads.clone();
        }

        /** On the live object: threads waiting for a connection now. */
        public String[] pendingReads() {
            return pendingReads.clone();
        }

        /** On the live object: requests that timed out waiting for a connection, cumulative. */
        public String[] timeoutReads() {
            return timeoutReads.clone();
        }

        /** On the DataSource: the fewest idle (for some pools: open) connections the pool keeps. */
        public String[] idleMinReads() {
            return idleMinReads.clone();
        }

        /** On the DataSource: the most idle connections the pool keeps. */
        public String[] idleMaxReads() {
            return idleMaxReads.clone();
        }

        /**
         * On the live object: the time requests for a connection waited in all, in {@link #waitTimeUnit} (or a
         * Duration), counted like used and idle ({@link #countsWhenReads()}).
         */
        public String[] waitTimeReads() {
            return waitTimeReads.clone();
        }

        /** On the live object: the requests for a connection the wait time is of. */
        public String[] acquisitionReads() {
            return acquisitionReads.clone();
        }

        static Builder builder() {
            return new Builder();
        }

        /** Every element empty until set. */
        static final class Builder {
            private String[] started = NONE;
            private String[] live = NONE;
            private String[] countsWhen = NONE;
            private String[] waitsCountedWhen = NONE;
            private String[] used = NONE;
            private String[] idle = NONE;
            private String[] pending = NONE;
            private String[] timeouts = NONE;
            private String[] idleMin = NONE;
            private String[] idleMax = NONE;
            private String[] waitTime = NONE;
            private String[] acquisitions = NONE;
            private TimeUnit waitTimeUnit;

            Builder started(String... paths) {
                started = paths;
                return this;
            }

            Builder live(String... paths) {
                live = paths;
                return this;
            }

            Builder countsWhen(String... paths) {
                countsWhen = paths;
                return this;
            }

            Builder waitsCountedWhen(String... paths) {
                waitsCountedWhen = paths;
                return this;
            }

            Builder used(String... paths) {
                used = paths;
                return this;
            }

            Builder idle(String... paths) {
                idle = paths;
                return this;
            }

            Builder pending(String... paths) {
                pending = paths;
                return this;
            }

            Builder timeouts(String... paths) {
                timeouts = paths;
                return this;
            }

            Builder idleMin(String... paths) {
                idleMin = paths;
                return this;
            }

            Builder idleMax(String... paths) {
                idleMax = paths;
                return this;
            }

            /** The wait time in all, a number in that unit (null: a Duration), and the requests it is of. */
            Builder waitTime(TimeUnit unit, String path, String acquisitionsPath) {
                waitTimeUnit = unit;
                waitTime = names(path);
                acquisitions = names(acquisitionsPath);
                return this;
            }

            StateReads build() {
                return new StateReads(this);
            }
        }
    }

    /** The method every recognised class declares (or inherits from a hooked base) to hand out connections. */
    public static final String HOOKED_METHOD = "getConnection";

    private static final String[] NONE = new String[0];

    private static final Map<String, Entry> ENTRIES;
    /** An entry, or {@link #NOT_IN_CATALOG}, per class: held by the class, so no class loader is kept alive. */
    private static final Object NOT_IN_CATALOG = new Object();
    private static final ClassValue<Object> BY_CLASS = new ClassValue<Object>() {
        @Override
        protected Object computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                Entry entry = ENTRIES.get(c.getName());
                if (entry != null) {
                    return entry;
                }
            }
            return NOT_IN_CATALOG;
        }
    };
    /**
     * Base classes that declare {@code getConnection} for a recognised subclass, so that after a dynamic attach a
     * pool is seen on its next {@code getConnection} even though the recognised class itself does not declare it.
     * They are only hooked; an instance is described by the recognised class it is.
     */
    private static final Set<String> HOOKED_BASES;
    /**
     * Classes whose instances are handles on a pool the server holds: Payara/GlassFish hands out a new DataSource40
     * at every JNDI look-up of the same JDBC resource. Handles of one class and one pool name are one pool.
     */
    private static final Set<String> SHARED_POOL_HANDLES = Collections.singleton("com.sun.gjc.spi.jdbc40.DataSource40");

    static {
        Map<String, Entry> entries = new LinkedHashMap<String, Entry>();
        // HikariCP: no-arg and HikariConfig constructors; the pool name of an unnamed pool is set when it starts.
        // The no-arg one starts its pool on the first getConnection: getHikariPoolMXBean() is null until then. No
        // maximum idle (it idles up to the maximum size) and no timeout counter in its API.
        add(entries, "com.zaxxer.hikari.HikariDataSource", Kind.POOL,
                names("getPoolName"),
                names("getJdbcUrl", "getDataSourceProperties.url", "getDataSourceProperties.URL"),
                names("getMaximumPoolSize"),
                StateReads.builder().live("getHikariPoolMXBean")
                        .used("getActiveConnections").idle("getIdleConnections")
                        .pending("getThreadsAwaitingConnection")
                        .idleMin("getMinimumIdle").build());
        add(entries, "com.zaxxer.hikari.util.DriverDataSource", Kind.UNPOOLED, NONE, names("field:jdbcUrl"), NONE);
        // Tomcat JDBC; getConnection is declared by DataSourceProxy. Its getActive()/getIdle()/getWaitCount() (and
        // getPool()) create the pool, with initialSize connections, when it has not started: the counts are read on
        // the ConnectionPool its field holds once started. No timeout counter.
        StateReads tomcatJdbc = StateReads.builder().live("field:pool")
                .used("getActive").idle("getIdle").pending("getWaitCount")
                .idleMin("getMinIdle").idleMax("getMaxIdle").build();
        add(entries, "org.apache.tomcat.jdbc.pool.DataSource", Kind.POOL, names("getName"), names("getUrl"),
                names("getMaxActive"), tomcatJdbc);
        add(entries, "org.apache.tomcat.jdbc.pool.XADataSource", Kind.POOL, names("getName"), names("getUrl"),
                names("getMaxActive"), tomcatJdbc);
        // Commons DBCP2 and Tomcat's repackaged copy: no pool name but a JMX name when one is set. The counts are on
        // its GenericObjectPool (null until the first getConnection; getConnectionPool() is public in current
        // versions, the field where it is protected), which alone tells its waiters. No timeout counter.
        StateReads dbcp2 = StateReads.builder().live("getConnectionPool", "field:connectionPool")
                .used("getNumActive").idle("getNumIdle").pending("getNumWaiters")
                .idleMin("getMinIdle").idleMax("getMaxIdle").build();
        for (String pkg : new String[] {"org.apache.commons.dbcp2", "org.apache.tomcat.dbcp.dbcp2"}) {
            add(entries, pkg + ".BasicDataSource", Kind.POOL, names("getJmxName"), names("getUrl"),
                    names("getMaxTotal"), dbcp2);
            add(entries, pkg + ".managed.BasicManagedDataSource", Kind.POOL, names("getJmxName"), names("getUrl"),
                    names("getMaxTotal"), dbcp2);
            add(entries, pkg + ".PoolingDataSource", Kind.UNPOOLED, NONE, NONE, NONE);
            add(entries, pkg + ".managed.ManagedDataSource", Kind.UNPOOLED, NONE, NONE, NONE);
        }
        // c3p0; getConnection is declared by AbstractPoolBackedDataSource. Its ...DefaultUser getters create the
        // pool manager and the default user's pool (initialPoolSize connections) when there is none: read only once
        // the manager (its field) manages a pool. No maximum idle; its minimum is that of open connections. No
        // timeout counter: its "failed checkouts" are connections that failed the test on checkout.
        StateReads c3p0 = StateReads.builder().started("field:poolManager.getNumManagedAuths")
                .used("getNumBusyConnectionsDefaultUser").idle("getNumIdleConnectionsDefaultUser")
                .pending("getNumThreadsAwaitingCheckoutDefaultUser")
                .idleMin("getMinPoolSize").build();
        add(entries, "com.mchange.v2.c3p0.ComboPooledDataSource", Kind.POOL,
                names("getDataSourceName"), names("getJdbcUrl"), names("getMaxPoolSize"), c3p0);
        add(entries, "com.mchange.v2.c3p0.PoolBackedDataSource", Kind.POOL,
                names("getDataSourceName"), names("getConnectionPoolDataSource.getNestedDataSource.getJdbcUrl"),
                names("getConnectionPoolDataSource.getMaxPoolSize"),
                StateReads.builder().started("field:poolManager.getNumManagedAuths")
                        .used("getNumBusyConnectionsDefaultUser").idle("getNumIdleConnectionsDefaultUser")
                        .pending("getNumThreadsAwaitingCheckoutDefaultUser")
                        .idleMin("getConnectionPoolDataSource.getMinPoolSize").build());
        add(entries, "com.mchange.v2.c3p0.DriverManagerDataSource", Kind.UNPOOLED, NONE, names("getJdbcUrl"), NONE);
        // Oracle UCP, which can pool any driver's DataSource (setConnectionFactoryClassName). getStatistics() is null
        // until the pool starts; failed waits are the requests that timed out (connectionWaitTimeout); it adds up the
        // time borrows waited (ms) and counts the borrows. minIdle came in 21c, before it the minimum pool size; no
        // maximum idle.
        StateReads ucp = StateReads.builder().live("getStatistics")
                .used("getBorrowedConnectionsCount").idle("getAvailableConnectionsCount")
                .pending("getPendingRequestsCount").timeouts("getCumulativeFailedConnectionWaitCount")
                .waitTime(TimeUnit.MILLISECONDS, "getCumulativeConnectionWaitTime",
                        "getCumulativeConnectionBorrowedCount")
                .idleMin("getMinIdle", "getMinPoolSize").build();
        add(entries, "oracle.ucp.jdbc.PoolDataSourceImpl", Kind.POOL, names("getConnectionPoolName"), names("getURL"),
                names("getMaxPoolSize"), ucp);
        add(entries, "oracle.ucp.jdbc.PoolXADataSourceImpl", Kind.POOL, names("getConnectionPoolName"),
                names("getURL"), names("getMaxPoolSize"), ucp);
        add(entries, "oracle.jdbc.pool.OracleDataSource", Kind.UNPOOLED, NONE, names("getURL"), NONE);
        // Alibaba Druid: the name defaults to DataSource-<id>. It starts on the first getConnection (or init()).
        // maxIdle is a setting Druid no longer uses, and no counter counts its timeouts alone. It adds up the time
        // requests waited for a connection to come (ns) and counts the connections it handed out.
        add(entries, "com.alibaba.druid.pool.DruidDataSource", Kind.POOL, names("getName"), names("getUrl"),
                names("getMaxActive"),
                StateReads.builder().started("isInited")
                        .used("getActiveCount").idle("getPoolingCount")
                        .pending("getWaitThreadCount", "getNotEmptyWaitThreadCount")
                        .waitTime(TimeUnit.NANOSECONDS, "getNotEmptyWaitNanos", "getConnectCount")
                        .idleMin("getMinIdle").build());
        // Agroal: no pool name of its own; Quarkus names each datasource in the logging listener it gives the pool
        // (<default> for the default one). The URL sits in its configuration objects. Its ConnectionPool (read
        // directly: what getMetrics() gives is all zeros while metrics are off) counts the connections in use only
        // while metrics are enabled, and idle ones as all but those; it always knows its waiters. With metrics on, its
        // metrics add up the time acquisitions blocked and count them. Its minimum is that of open connections; no
        // maximum idle, no timeout counter.
        add(entries, "io.agroal.pool.DataSource", Kind.POOL,
                names("field:connectionPool.getListeners.[io.quarkus.agroal.runtime.AgroalEventLoggingListener]"
                        + ".field:datasourceName"),
                names("getConfiguration.connectionPoolConfiguration.connectionFactoryConfiguration.jdbcUrl"),
                names("getConfiguration.connectionPoolConfiguration.maxSize"),
                StateReads.builder().live("field:connectionPool").countsWhen("getConfiguration.metricsEnabled")
                        .used("activeCount").idle("availableCount").pending("awaitingCount")
                        .waitTime(null, "getMetrics.blockingTimeTotal", "getMetrics.acquireCount")
                        .idleMin("getConfiguration.connectionPoolConfiguration.minSize").build());
        // Vibur DBCP: named, started by start() (getPool() is null before); its PoolService counts the connections
        // taken and those created and idle. It tells neither its waiters nor its timeouts; no minimum or maximum idle.
        add(entries, "org.vibur.dbcp.ViburDBCPDataSource", Kind.POOL, names("getName"), names("getJdbcUrl"),
                names("getPoolMaxSize"),
                StateReads.builder().live("getPool").used("taken").idle("remainingCreated").build());
        // WildFly/JBoss (IronJacamar): the datasource subsystem makes one WrapperDataSource per datasource (the
        // WildFlyDataSource bound in JNDI hands every call to it), named by its pool (the datasource's name). Its
        // URL is in the managed connection factory (a driver-based datasource; an XA one has none). The pool's
        // statistics count in use, idle, waiting and timed-out connections only when statistics are enabled
        // (statistics-enabled=true): otherwise they are all 0, so all four are unknown then. Its sizes are in
        // the pool's configuration (max-pool-size, min-pool-size), read whether statistics are on or not.
        add(entries, "org.jboss.jca.adapters.jdbc.WrapperDataSource", Kind.POOL, names("field:cm.getPool.getName",
                        "field:cm.getJndiName"), names("field:mcf.getConnectionURL"),
                names("field:cm.getPool.field:poolConfiguration.getMaxSize"),
                StateReads.builder().live("field:cm.getPool.getStatistics")
                        .countsWhen("field:cm.getPool.getStatistics.isEnabled")
                        .waitsCountedWhen("field:cm.getPool.getStatistics.isEnabled")
                        .used("getInUseCount").idle("getIdleCount").pending("getWaitCount")
                        .timeouts("getTimedOut")
                        .idleMin("field:cm.getPool.field:poolConfiguration.getMinSize").build());
        // Payara/GlassFish: a JDBC resource's DataSource (jdbc40.DataSource40; getConnection is declared by
        // AbstractDataSource) belongs to a JDBC connection pool, whose name its managed connection factory has. Its
        // URL is a property of the pool's driver DataSource, not exposed here; its state is in the server's
        // monitoring (off by default), not in the DataSource's API.
        add(entries, "com.sun.gjc.spi.jdbc40.DataSource40", Kind.POOL, names("field:mcf.getPoolName"), NONE, NONE);
        // Unpooled DataSources of drivers and frameworks.
        add(entries, "org.h2.jdbcx.JdbcDataSource", Kind.UNPOOLED, NONE, names("getURL"), NONE);
        add(entries, "org.springframework.jdbc.datasource.DriverManagerDataSource", Kind.UNPOOLED, NONE,
                names("getUrl"), NONE);
        add(entries, "org.springframework.jdbc.datasource.SimpleDriverDataSource", Kind.UNPOOLED, NONE,
                names("getUrl"), NONE);
        ENTRIES = Collections.unmodifiableMap(entries);

        Set<String> bases = new LinkedHashSet<String>();
        bases.add("org.apache.tomcat.jdbc.pool.DataSourceProxy");
        bases.add("com.mchange.v2.c3p0.impl.AbstractPoolBackedDataSource");
        bases.add("oracle.jdbc.datasource.impl.OracleDataSource");
        bases.add("org.springframework.jdbc.datasource.AbstractDriverBasedDataSource");
        bases.add("com.sun.gjc.spi.base.AbstractDataSource");
        HOOKED_BASES = Collections.unmodifiableSet(bases);
    }

    private PoolCatalog() {
    }

    private static String[] names(String... names) {
        return names;
    }

    private static void add(Map<String, Entry> entries, String className, Kind kind, String[] poolName, String[] url,
                            String[] maxSize) {
        add(entries, className, kind, poolName, url, maxSize, null);
    }

    private static void add(Map<String, Entry> entries, String className, Kind kind, String[] poolName, String[] url,
                            String[] maxSize, StateReads state) {
        entries.put(className, new Entry(className, kind, poolName, url, maxSize, state));
    }

    /** Whether instances of this class with the same pool name are handles on one pool (see the class's note). */
    public static boolean isSharedPoolHandle(String className) {
        return SHARED_POOL_HANDLES.contains(className);
    }

    /** The entry for a class name such as {@code com.zaxxer.hikari.HikariDataSource}, or null. */
    public static Entry byClassName(String className) {
        return ENTRIES.get(className);
    }

    /**
     * The entry of an instance's class or of its nearest superclass in the catalog (a host's subclass of a pool is
     * that pool), or null; null for null. Cached per class.
     */
    public static Entry entryFor(Object instance) {
        if (instance == null) {
            return null;
        }
        Object entry = BY_CLASS.get(instance.getClass());
        return entry instanceof Entry ? (Entry) entry : null;
    }


    /**
     * Internal names ({@code com/zaxxer/hikari/HikariDataSource}) of every class to instrument: the recognised
     * classes and the base classes that declare {@code getConnection} for them.
     */
    public static Set<String> internalNamesToHook() {
        Set<String> internal = new LinkedHashSet<String>();
        for (String name : ENTRIES.keySet()) {
            internal.add(name.replace('.', '/'));
        }
        for (String name : HOOKED_BASES) {
            internal.add(name.replace('.', '/'));
        }
        return internal;
    }
}
