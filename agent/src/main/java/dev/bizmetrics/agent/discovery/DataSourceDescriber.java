package dev.bizmetrics.agent.discovery;

import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.agent.pools.PoolCatalog;
import dev.bizmetrics.bootstrap.DataSourceRegistry;

import javax.sql.DataSource;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Wrapper;
import java.util.Map;
import java.util.Properties;

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

    private DataSourceDescriber() {
    }

    /** The description, or null when the instance's class (or any superclass) is not in the catalog. */
    public static DataSourceDescription describe(Object instance) {
        PoolCatalog.Entry entry = entryOf(instance);
        if (entry == null) {
            return null;
        }
        String poolName = firstNonEmpty(instance, entry.poolNameReads());
        String url = UrlSanitizer.sanitize(firstNonEmpty(instance, entry.urlReads()));
        return new DataSourceDescription(instance, entry.className(), entry.kind(), poolName, url,
                DataSourceRegistry.isUsed(instance));
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
                poolName, url, DataSourceRegistry.isUsed(instance));
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
        for (Class<?> type = instance.getClass(); type != null; type = type.getSuperclass()) {
            PoolCatalog.Entry entry = PoolCatalog.byClassName(type.getName());
            if (entry != null) {
                return entry;
            }
        }
        return null;
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

    /** Follows a path such as {@code getDataSourceProperties.url} or {@code field:jdbcUrl}. */
    static Object read(Object instance, String path) {
        Object current = instance;
        try {
            for (String step : path.split("\\.")) {
                if (current == null) {
                    return null;
                }
                if (step.startsWith("field:")) {
                    current = field(current, step.substring("field:".length()));
                } else if (step.startsWith("get") && (current instanceof Properties || current instanceof Map)) {
                    return null;
                } else if (current instanceof Properties) {
                    current = ((Properties) current).getProperty(step);
                } else if (current instanceof Map) {
                    current = ((Map<?, ?>) current).get(step);
                } else {
                    Method method = publicMethod(current.getClass(), step);
                    current = method == null ? null : method.invoke(current);
                }
            }
            return current;
        } catch (Throwable t) {
            Log.debug("could not read " + path + " of " + instance.getClass().getName() + ": " + Log.describe(t));
            return null;
        }
    }

    /**
     * A no-argument public method callable from here: found on the class when the class is public, else on a
     * public interface or superclass it implements (configuration objects are often package-private classes
     * behind public interfaces). Null when there is none.
     */
    private static Method publicMethod(Class<?> type, String name) {
        Method method;
        try {
            method = type.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
        if (method.getParameterTypes().length != 0) {
            return null;
        }
        if (Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
            return method;
        }
        Method viaSupertype = onPublicSupertype(type, name);
        if (viaSupertype != null) {
            return viaSupertype;
        }
        try {
            method.setAccessible(true);
            return method;
        } catch (Throwable t) {
            return null;
        }
    }

    private static Method onPublicSupertype(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c != type && Modifier.isPublic(c.getModifiers())) {
                try {
                    return c.getMethod(name);
                } catch (NoSuchMethodException ignored) {
                    // not on this one
                }
            }
            for (Class<?> i : c.getInterfaces()) {
                Method found = onInterface(i, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Method onInterface(Class<?> type, String name) {
        if (Modifier.isPublic(type.getModifiers())) {
            try {
                return type.getMethod(name);
            } catch (NoSuchMethodException ignored) {
                // look in its super-interfaces
            }
        }
        for (Class<?> i : type.getInterfaces()) {
            Method found = onInterface(i, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Object field(Object instance, String name) throws Exception {
        for (Class<?> type = instance.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(instance);
            } catch (NoSuchFieldException ignored) {
                // look in the superclass
            }
        }
        return null;
    }
}
