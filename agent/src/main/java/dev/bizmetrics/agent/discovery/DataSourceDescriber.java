package dev.bizmetrics.agent.discovery;

import dev.bizmetrics.agent.log.Log;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Properties;

/**
 * Describes an instance the hooks saw, by reflection on its public getters (and, where a class has none, one named
 * field). Runs on the agent's thread; a getter that throws leaves that property empty.
 */
public final class DataSourceDescriber {

    private DataSourceDescriber() {
    }

    /** The description, or null when the instance's class (or any superclass) is not in the catalog. */
    public static DataSourceDescription describe(Object instance) {
        for (Class<?> type = instance.getClass(); type != null; type = type.getSuperclass()) {
            PoolCatalog.Entry entry = PoolCatalog.byClassName(type.getName());
            if (entry != null) {
                String poolName = firstNonEmpty(instance, entry.poolNameReads());
                String url = UrlSanitizer.sanitize(firstNonEmpty(instance, entry.urlReads()));
                return new DataSourceDescription(instance, entry.className(), entry.kind(), poolName, url);
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
                    Method method = current.getClass().getMethod(step);
                    current = method.invoke(current);
                }
            }
            return current;
        } catch (Throwable t) {
            Log.debug("could not read " + path + " of " + instance.getClass().getName() + ": " + Log.describe(t));
            return null;
        }
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
