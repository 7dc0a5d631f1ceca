package dev.bizmetrics.agent.discovery;

import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.agent.pools.GetterPath;
import dev.bizmetrics.agent.pools.PoolCatalog;
import dev.bizmetrics.bootstrap.DataSourceRegistry;

import javax.sql.DataSource;
import java.sql.Wrapper;

/**
 * Describes an instance the hooks saw, by reflection on its public getters (and, where a class has none, one named
 * field). Runs on the agent's thread; a getter that throws leaves that property empty.
 */
public final class DataSourceDescriber {

    /** Wrappers around wrappers are rare; this bounds a wrapper that (wrongly) wraps itself in a cycle. */
    private static final int MAX_UNWRAP = 8;
    /** Getters that name a DataSource or give its URL in most libraries, for classes outside the catalog. */
    private static final String[] OTHER_POOL_NAME_READS = {"getPoolName", "getDataSourceName", "getName"};
    private static final String[] OTHER_URL_READS = {"getJdbcUrl", "getUrl", "getURL"};
    /** The database user, only to tell whether two DataSources are the same database: most pools name it so. */
    private static final String[] USER_READS = {"getUsername", "getUser", "getUserName"};

    private DataSourceDescriber() {
    }

    /** The description, or null when the instance's class (or any superclass) is not in the catalog. */
    public static DataSourceDescription describe(Object instance) {
        PoolCatalog.Entry entry = entryOf(instance);
        if (entry == null) {
            return null;
        }
        String poolName = quarkusName(firstNonEmpty(instance, entry.poolNameReads()));
        String url = UrlSanitizer.sanitize(firstNonEmpty(instance, entry.urlReads()));
        return new DataSourceDescription(instance, entry.className(), entry.kind(), poolName, url,
                firstNonEmpty(instance, USER_READS), DataSourceRegistry.isUsed(instance), ownerOf(instance), "");
    }

    /**
     * The description of a catalog class as {@link #describe}, else of any other {@code javax.sql.DataSource} as an
     * unpooled one under its own class name (what generic discovery and JNDI find); null for anything else.
     */
    public static DataSourceDescription describeAny(Object instance) {
        DataSourceDescription known = describe(instance);
        if (known != null || !(instance instanceof DataSource)) {
            return known;
        }
        String poolName = firstNonEmpty(instance, OTHER_POOL_NAME_READS);
        String url = UrlSanitizer.sanitize(firstNonEmpty(instance, OTHER_URL_READS));
        return new DataSourceDescription(instance, instance.getClass().getName(), PoolCatalog.Kind.UNPOOLED,
                poolName, url, firstNonEmpty(instance, USER_READS), DataSourceRegistry.isUsed(instance),
                ownerOf(instance), "");
    }

    /**
     * The name as Quarkus means it: its Agroal listener keeps the datasource's name as its log lines say it,
     * {@code Datasource '<default>'}.
     */
    static String quarkusName(String poolName) {
        return poolName.startsWith("Datasource '") && poolName.endsWith("'") && poolName.length() > 13
                ? poolName.substring("Datasource '".length(), poolName.length() - 1) : poolName;
    }

    private static Owner ownerOf(Object instance) {
        return Owner.of(DataSourceRegistry.owner(instance));
    }

    /**
     * The most connections a recognised pool opens, read now (a pool may be configured after it was constructed);
     * 0 for an unpooled DataSource, which opens a connection per request and has no maximum to exhaust; -1 when
     * it cannot be read.
     */
    public static int maxPoolSize(Object instance) {
        PoolCatalog.Entry entry = entryOf(instance);
        if (entry == null) {
            return -1;
        }
        if (entry.kind() == PoolCatalog.Kind.UNPOOLED) {
            return 0;
        }
        for (String read : entry.maxSizeReads()) {
            Object value = read(instance, read);
            if (value instanceof Number) {
                return ((Number) value).intValue();
            }
        }
        return -1;
    }

    /**
     * The DataSource a wrapper stands for: Spring's {@code DelegatingDataSource} family (and anything else with a
     * public {@code getTargetDataSource()}), JDK and CGLIB proxies and other {@link Wrapper}s that unwrap to
     * another DataSource. A catalog class is its own target. Calls host code: on the agent's thread only.
     */
    public static Object resolve(Object instance) {
        Object current = instance;
        for (int depth = 0; depth < MAX_UNWRAP && current != null; depth++) {
            if (entryOf(current) != null) {
                return current;
            }
            Object inner = read(current, "getTargetDataSource");
            if (!(inner instanceof DataSource) && current instanceof Wrapper) {
                inner = unwrap((Wrapper) current);
            }
            if (!(inner instanceof DataSource) || inner == current) {
                return current;
            }
            current = inner;
        }
        return current;
    }

    private static Object unwrap(Wrapper wrapper) {
        try {
            return wrapper.unwrap(DataSource.class);
        } catch (Throwable t) {
            return null;
        }
    }

    private static PoolCatalog.Entry entryOf(Object instance) {
        return PoolCatalog.entryFor(instance);
    }

    private static String firstNonEmpty(Object instance, String[] reads) {
        for (String read : reads) {
            Object value = read(instance, read);
            if (value != null && !value.toString().isEmpty()) {
                return value.toString();
            }
        }
        return "";
    }

    /** Follows a path such as {@code getDataSourceProperties.url} or {@code field:jdbcUrl}; null when it throws. */
    static Object read(Object instance, String path) {
        try {
            return GetterPath.of(path).readOrThrow(instance);
        } catch (Throwable t) {
            Log.debug("could not read " + path + " of " + instance.getClass().getName() + ": " + Log.describe(t));
            return null;
        }
    }
}
