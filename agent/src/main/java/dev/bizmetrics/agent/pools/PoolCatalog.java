package dev.bizmetrics.agent.pools;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

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

        Entry(String className, Kind kind, String[] poolNameReads, String[] urlReads, String[] maxSizeReads) {
            this.className = className;
            this.kind = kind;
            this.poolNameReads = poolNameReads;
            this.urlReads = urlReads;
            this.maxSizeReads = maxSizeReads;
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

    static {
        Map<String, Entry> entries = new LinkedHashMap<String, Entry>();
        // HikariCP: no-arg and HikariConfig constructors; the pool name of an unnamed pool is set when it starts.
        add(entries, "com.zaxxer.hikari.HikariDataSource", Kind.POOL,
                names("getPoolName"),
                names("getJdbcUrl", "getDataSourceProperties.url", "getDataSourceProperties.URL"),
                names("getMaximumPoolSize"));
        add(entries, "com.zaxxer.hikari.util.DriverDataSource", Kind.UNPOOLED, NONE, names("field:jdbcUrl"), NONE);
        // Tomcat JDBC; getConnection is declared by DataSourceProxy.
        add(entries, "org.apache.tomcat.jdbc.pool.DataSource", Kind.POOL, names("getName"), names("getUrl"),
                names("getMaxActive"));
        add(entries, "org.apache.tomcat.jdbc.pool.XADataSource", Kind.POOL, names("getName"), names("getUrl"),
                names("getMaxActive"));
        // Commons DBCP2 and Tomcat's repackaged copy: no pool name but a JMX name when one is set.
        for (String pkg : new String[] {"org.apache.commons.dbcp2", "org.apache.tomcat.dbcp.dbcp2"}) {
            add(entries, pkg + ".BasicDataSource", Kind.POOL, names("getJmxName"), names("getUrl"),
                    names("getMaxTotal"));
            add(entries, pkg + ".managed.BasicManagedDataSource", Kind.POOL, names("getJmxName"), names("getUrl"),
                    names("getMaxTotal"));
            add(entries, pkg + ".PoolingDataSource", Kind.UNPOOLED, NONE, NONE, NONE);
            add(entries, pkg + ".managed.ManagedDataSource", Kind.UNPOOLED, NONE, NONE, NONE);
        }
        // c3p0; getConnection is declared by AbstractPoolBackedDataSource.
        add(entries, "com.mchange.v2.c3p0.ComboPooledDataSource", Kind.POOL,
                names("getDataSourceName"), names("getJdbcUrl"), names("getMaxPoolSize"));
        add(entries, "com.mchange.v2.c3p0.PoolBackedDataSource", Kind.POOL,
                names("getDataSourceName"), names("getConnectionPoolDataSource.getNestedDataSource.getJdbcUrl"),
                names("getConnectionPoolDataSource.getMaxPoolSize"));
        add(entries, "com.mchange.v2.c3p0.DriverManagerDataSource", Kind.UNPOOLED, NONE, names("getJdbcUrl"), NONE);
        // Oracle UCP, which can pool any driver's DataSource (setConnectionFactoryClassName).
        add(entries, "oracle.ucp.jdbc.PoolDataSourceImpl", Kind.POOL, names("getConnectionPoolName"), names("getURL"),
                names("getMaxPoolSize"));
        add(entries, "oracle.ucp.jdbc.PoolXADataSourceImpl", Kind.POOL, names("getConnectionPoolName"),
                names("getURL"), names("getMaxPoolSize"));
        add(entries, "oracle.jdbc.pool.OracleDataSource", Kind.UNPOOLED, NONE, names("getURL"), NONE);
        // Alibaba Druid: the name defaults to DataSource-<id>.
        add(entries, "com.alibaba.druid.pool.DruidDataSource", Kind.POOL, names("getName"), names("getUrl"),
                names("getMaxActive"));
        // Agroal: no pool name; the URL sits in its configuration objects.
        add(entries, "io.agroal.pool.DataSource", Kind.POOL, NONE,
                names("getConfiguration.connectionPoolConfiguration.connectionFactoryConfiguration.jdbcUrl"),
                names("getConfiguration.connectionPoolConfiguration.maxSize"));
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
        HOOKED_BASES = Collections.unmodifiableSet(bases);
    }

    private PoolCatalog() {
    }

    private static String[] names(String... names) {
        return names;
    }

    private static void add(Map<String, Entry> entries, String className, Kind kind, String[] poolName, String[] url,
                            String[] maxSize) {
        entries.put(className, new Entry(className, kind, poolName, url, maxSize));
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
