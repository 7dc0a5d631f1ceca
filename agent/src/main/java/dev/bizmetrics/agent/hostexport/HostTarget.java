package dev.bizmetrics.agent.hostexport;

import dev.bizmetrics.agent.instrument.RegistryClasses;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One registry of the application the agent publishes into, and what it takes to: a client_java 1.x
 * {@code PrometheusRegistry} or a simpleclient {@code CollectorRegistry}, found directly (only the client's default
 * registry, which an application serving its own endpoint scrapes) or through a Micrometer
 * {@code PrometheusMeterRegistry} (the registry it wraps, which Actuator serves). Held weakly. Every call into the
 * host's classes is by reflection, on the agent's export thread.
 */
final class HostTarget {

    /** What the status line and the self-metric call each kind. */
    enum Kind {
        MICROMETER("micrometer"), MICROMETER_SIMPLECLIENT("micrometer-simpleclient"),
        CLIENT_JAVA_DEFAULT("client_java-default"), SIMPLECLIENT_DEFAULT("simpleclient-default");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    final Kind kind;
    /** The class the hooks saw: Micrometer's registry, or the client's. */
    final String seenClass;
    private final WeakReference<Object> registry;
    /** The Micrometer registry it came from, for its meters' names; null for a default registry. */
    private final WeakReference<Object> micrometer;

    private HostTarget(Kind kind, Object registry, Object micrometer) {
        this.kind = kind;
        this.seenClass = (micrometer == null ? registry : micrometer).getClass().getName();
        this.registry = new WeakReference<Object>(registry);
        this.micrometer = micrometer == null ? null : new WeakReference<Object>(micrometer);
    }

    /** The target a registry the hooks saw stands for, or null when the agent does not publish into it. */
    static HostTarget of(Object seen) throws Exception {
        String name = seen.getClass().getName();
        if (name.equals(RegistryClasses.MICROMETER_CLIENT_JAVA) || name.equals(RegistryClasses.MICROMETER_SIMPLECLIENT)) {
            Object wrapped = seen.getClass().getMethod("getPrometheusRegistry").invoke(seen);
            return wrapped == null ? null : new HostTarget(name.equals(RegistryClasses.MICROMETER_CLIENT_JAVA)
                    ? Kind.MICROMETER : Kind.MICROMETER_SIMPLECLIENT, wrapped, seen);
        }
        Class<?> type = registryClass(seen.getClass());
        if (type == null) {
            return null;
        }
        Field defaultRegistry = type.getField("defaultRegistry");
        if (defaultRegistry.get(null) != seen) {
            return null; // another registry of the application's: only what it registers itself is served there
        }
        return new HostTarget(type.getName().equals(RegistryClasses.CLIENT_JAVA_REGISTRY) ? Kind.CLIENT_JAVA_DEFAULT
                : Kind.SIMPLECLIENT_DEFAULT, seen, null);
    }

    private static Class<?> registryClass(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(RegistryClasses.CLIENT_JAVA_REGISTRY) || c.getName().equals(RegistryClasses.SIMPLECLIENT_REGISTRY)) {
                return c;
            }
        }
        return null;
    }

    /** The registry itself, or null once the application let it go. */
    Object registry() {
        return registry.get();
    }

    boolean isClientJava() {
        return kind == Kind.MICROMETER || kind == Kind.CLIENT_JAVA_DEFAULT;
    }

    String adapterClass() {
        return isClientJava() ? AdapterLoader.CLIENT_JAVA : AdapterLoader.SIMPLECLIENT;
    }

    String collectorType() {
        return isClientJava() ? RegistryClasses.CLIENT_JAVA_MULTI_COLLECTOR : RegistryClasses.SIMPLECLIENT_COLLECTOR;
    }

    /** Registers (or, with {@code register=false}, unregisters) an adapter with the registry. */
    void call(boolean register, Object adapter) throws Exception {
        Object target = registry.get();
        if (target == null) {
            return;
        }
        Class<?> collector = Class.forName(collectorType(), false, target.getClass().getClassLoader());
        registryMethod(target, register ? "register" : "unregister", collector).invoke(target, adapter);
    }

    private static Method registryMethod(Object target, String name, Class<?> parameter) throws NoSuchMethodException {
        Class<?> type = registryClass(target.getClass());
        return (type == null ? target.getClass() : type).getMethod(name, parameter);
    }

    /**
     * The names the host's own metrics take in this registry, in the agent's form (a counter's without
     * {@code _total}): its collectors' names, and the Micrometer registry's meters as its naming convention names them.
     */
    Set<String> hostNames() throws Exception {
        Object target = registry.get();
        Set<String> names = new HashSet<String>();
        if (target == null) {
            return names;
        }
        Class<?> type = registryClass(target.getClass());
        Field field = type.getDeclaredField(isClientJava() ? "prometheusNames" : "namesToCollectors");
        field.setAccessible(true);
        Object value = field.get(target);
        Collection<?> registered = value instanceof Map ? ((Map<?, ?>) value).keySet() : (Collection<?>) value;
        // Copied without the registry's lock (the agent never waits on the host's locks): a copy that meets a
        // concurrent registration fails here and is tried again at the next tick, the last names staying in use.
        for (Object name : registered.toArray()) {
            names.add(base(String.valueOf(name)));
        }
        Object meterRegistry = micrometer == null ? null : micrometer.get();
        if (meterRegistry != null) {
            names.addAll(meterNames(meterRegistry));
        }
        return names;
    }

    private static Set<String> meterNames(Object meterRegistry) throws Exception {
        ClassLoader loader = meterRegistry.getClass().getClassLoader();
        Class<?> meter = Class.forName(RegistryClasses.MICROMETER_METER, false, loader);
        Class<?> id = Class.forName(RegistryClasses.MICROMETER_METER + "$Id", false, loader);
        Class<?> meterType = Class.forName(RegistryClasses.MICROMETER_METER + "$Type", false, loader);
        Object config = meterRegistry.getClass().getMethod("config").invoke(meterRegistry);
        Object convention = config.getClass().getMethod("namingConvention").invoke(config);
        Method name = publicMethod(convention.getClass(), "name", String.class, meterType, String.class);
        Method getId = meter.getMethod("getId");
        Method idName = id.getMethod("getName");
        Method idType = id.getMethod("getType");
        Method idUnit = id.getMethod("getBaseUnit");
        Set<String> names = new HashSet<String>();
        for (Object each : (List<?>) meterRegistry.getClass().getMethod("getMeters").invoke(meterRegistry)) {
            Object meterId = getId.invoke(each);
            String prometheusName = (String) name.invoke(convention, idName.invoke(meterId), idType.invoke(meterId),
                    idUnit.invoke(meterId));
            names.add(base(prometheusName));
            names.add(base(prometheusName) + "_max"); // Micrometer's timers and summaries add a _max gauge
        }
        return names;
    }

    /** The method as declared by a public class or interface, so that it can be called without opening anything. */
    private static Method publicMethod(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            List<Class<?>> candidates = new java.util.ArrayList<Class<?>>();
            if (Modifier.isPublic(c.getModifiers())) {
                candidates.add(c);
            }
            candidates.addAll(java.util.Arrays.asList(c.getInterfaces()));
            for (Class<?> candidate : candidates) {
                try {
                    return candidate.getMethod(name, parameters);
                } catch (NoSuchMethodException ignored) {
                    // the next one
                }
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + name);
    }

    /** A name as the agent's families carry it: without the suffix client_java adds for a counter or an info. */
    static String base(String name) {
        if (name.endsWith("_total")) {
            return name.substring(0, name.length() - "_total".length());
        }
        if (name.endsWith("_info")) {
            return name.substring(0, name.length() - "_info".length());
        }
        return name;
    }
}
