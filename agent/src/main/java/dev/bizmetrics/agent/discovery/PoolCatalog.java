package dev.bizmetrics.agent.discovery;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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

        Entry(String className, Kind kind, String[] poolNameReads, String[] urlReads) {
            this.className = className;
            this.kind = kind;
            this.poolNameReads = poolNameReads;
            this.urlReads = urlReads;
        }

        public String className() {
            return className;
        }

        public Kind kind() {
            return kind;
        }

        String[] poolNameReads() {
            return poolNameReads.clone();
        }

        String[] urlReads() {
            return urlReads.clone();
        }
    }

    /** The method every recognised class declares to hand out connections. */
    public static final String HOOKED_METHOD = "getConnection";

    private static final Map<String, Entry> ENTRIES;

    static {
        Map<String, Entry> entries = new LinkedHashMap<String, Entry>();
        add(entries, "com.zaxxer.hikari.HikariDataSource", Kind.POOL,
                new String[] {"getPoolName"},
                new String[] {"getJdbcUrl", "getDataSourceProperties.url", "getDataSourceProperties.URL"});
        add(entries, "com.zaxxer.hikari.util.DriverDataSource", Kind.UNPOOLED,
                new String[0], new String[] {"field:jdbcUrl"});
        add(entries, "org.h2.jdbcx.JdbcDataSource", Kind.UNPOOLED,
                new String[0], new String[] {"getURL"});
        ENTRIES = Collections.unmodifiableMap(entries);
    }

    private PoolCatalog() {
    }

    private static void add(Map<String, Entry> entries, String className, Kind kind, String[] poolName, String[] url) {
        entries.put(className, new Entry(className, kind, poolName, url));
    }

    /** The entry for a class name such as {@code com.zaxxer.hikari.HikariDataSource}, or null. */
    public static Entry byClassName(String className) {
        return ENTRIES.get(className);
    }

    /** Internal names ({@code com/zaxxer/hikari/HikariDataSource}) of every class to instrument. */
    public static Map<String, Entry> byInternalName() {
        Map<String, Entry> internal = new LinkedHashMap<String, Entry>();
        for (Entry entry : ENTRIES.values()) {
            internal.put(entry.className().replace('.', '/'), entry);
        }
        return internal;
    }
}
