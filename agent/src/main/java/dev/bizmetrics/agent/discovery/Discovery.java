package dev.bizmetrics.agent.discovery;

import dev.bizmetrics.agent.config.DataSourceSpec;
import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.bootstrap.DataSourceRegistry;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the agent's view of the application's DataSources: what the hooks have seen, described, and which
 * configured name each is bound to. Refreshed on the agent's scheduler; read by the query threads and the scrape.
 *
 * <p>A wrapper (a Spring proxy, a JDK proxy, any {@link java.sql.Wrapper}) stands for the DataSource inside it, so
 * that it never competes with the pool it wraps. {@code jndi:} names are looked up here, with the class loaders
 * of the application: the context class loader of the thread that created this (the agent's start thread, which
 * inherits the one of the thread that started the agent) and the loaders of the DataSource classes seen. All of
 * them are held weakly.
 */
public final class Discovery {

    /** A resolved JNDI name is looked up again this often, to follow a name bound to another DataSource. */
    static final long JNDI_RECHECK_MILLIS = 30000L;

    /** The context class loader of the thread that created this (the agent's start thread). */
    private final WeakReference<ClassLoader> startLoader;
    /** Guarded by this: the class loaders of the DataSources seen, oldest first. */
    private final List<WeakReference<ClassLoader>> loaders = new ArrayList<WeakReference<ClassLoader>>();
    /** Guarded by this: per configured name, the last JNDI result. */
    private final Map<String, JndiTarget> jndiTargets = new HashMap<String, JndiTarget>();
    private volatile List<DataSourceDescription> seen = Collections.emptyList();
    private volatile Map<String, Binding> bindings = Collections.emptyMap();

    public Discovery() {
        startLoader = new WeakReference<ClassLoader>(Thread.currentThread().getContextClassLoader());
    }

    /** Re-reads the registry and re-applies the selectors; logs each binding that changed. */
    public synchronized void refresh(Map<String, DataSourceSpec> specs) {
        List<DataSourceDescription> described = new ArrayList<DataSourceDescription>();
        for (Object instance : DataSourceRegistry.snapshot()) {
            rememberLoader(instance.getClass().getClassLoader());
            add(described, instance);
        }
        Map<String, DataSourceDescription> byJndi = new HashMap<String, DataSourceDescription>();
        Map<String, String> jndiProblems = new HashMap<String, String>();
        for (DataSourceSpec spec : specs.values()) {
            if (spec.match().startsWith("jndi:")) {
                String name = spec.match().substring("jndi:".length()).trim();
                JndiTarget target = jndi(spec.name(), name);
                Object found = target.found();
                if (found == null) {
                    jndiProblems.put(spec.name(), target.problem);
                } else {
                    DataSourceDescription d = add(described, found);
                    if (d == null) {
                        jndiProblems.put(spec.name(), name + " is a " + found.getClass().getName()
                                + ", not a javax.sql.DataSource");
                    } else {
                        byJndi.put(spec.name(), d);
                    }
                }
            }
        }
        jndiTargets.keySet().retainAll(specs.keySet());
        Map<String, Binding> next = new LinkedHashMap<String, Binding>();
        for (DataSourceSpec spec : specs.values()) {
            Binding binding = Binder.bind(spec, described, byJndi.get(spec.name()), jndiProblems.get(spec.name()));
            logChange(bindings.get(spec.name()), binding);
            next.put(spec.name(), binding);
        }
        seen = Collections.unmodifiableList(described);
        bindings = Collections.unmodifiableMap(next);
    }

    /**
     * Describes what a wrapper stands for and adds it unless it is already there; returns its description, or null
     * when it is not a DataSource.
     */
    private static DataSourceDescription add(List<DataSourceDescription> described, Object instance) {
        try {
            Object target = DataSourceDescriber.resolve(instance);
            for (DataSourceDescription d : described) {
                if (d.instance() == target) {
                    return d;
                }
            }
            DataSourceDescription description = DataSourceDescriber.describeAny(target);
            if (description != null) {
                described.add(description);
            }
            return description;
        } catch (Throwable t) {
            Log.debug("could not describe a " + instance.getClass().getName() + ": " + Log.describe(t));
            return null;
        }
    }

    private JndiTarget jndi(String specName, String jndiName) {
        JndiTarget known = jndiTargets.get(specName);
        long now = System.currentTimeMillis();
        if (known != null && known.name.equals(jndiName) && known.found() != null
                && now - known.lookedUpMillis < JNDI_RECHECK_MILLIS) {
            return known;
        }
        JndiLookup.Result result = JndiLookup.lookup(jndiName, liveLoaders());
        JndiTarget target;
        if (result.found == null && known != null && known.name.equals(jndiName) && known.found() != null) {
            // The recheck failed but the DataSource found before is alive: keep it, try again later.
            target = new JndiTarget(jndiName, known.found(), null, now);
        } else {
            target = new JndiTarget(jndiName, result.found, result.problem, now);
        }
        if (result.found == null) {
            Log.debug("jndi " + jndiName + " not found: " + result.problem);
        }
        jndiTargets.put(specName, target);
        return target;
    }

    private void rememberLoader(ClassLoader loader) {
        if (loader == null) {
            return;
        }
        for (WeakReference<ClassLoader> ref : loaders) {
            if (ref.get() == loader) {
                return;
            }
        }
        for (int i = loaders.size() - 1; i >= 0; i--) {
            if (loaders.get(i).get() == null) {
                loaders.remove(i);
            }
        }
        loaders.add(new WeakReference<ClassLoader>(loader));
    }

    /**
     * The loaders of the DataSources seen, newest first (a web application's own loader, say), then the context
     * class loader the agent started with, then the system class loader.
     */
    private List<ClassLoader> liveLoaders() {
        List<ClassLoader> live = new ArrayList<ClassLoader>();
        for (int i = loaders.size() - 1; i >= 0; i--) {
            addOnce(live, loaders.get(i).get());
        }
        addOnce(live, startLoader.get());
        addOnce(live, ClassLoader.getSystemClassLoader());
        return live;
    }

    private static void addOnce(List<ClassLoader> live, ClassLoader loader) {
        if (loader != null && !live.contains(loader)) {
            live.add(loader);
        }
    }

    private static void logChange(Binding before, Binding after) {
        if (after.isBound()) {
            if (before == null || before.bound() == null || before.bound().instance() != after.bound().instance()) {
                DataSourceDescription d = after.bound();
                Log.info("datasource " + after.name() + " bound to " + d.id()
                        + (d.poolName().isEmpty() ? "" : " pool '" + d.poolName() + "'")
                        + (d.url().isEmpty() ? "" : " " + d.url()));
            }
        } else if (before == null || !after.explanation().equals(before.explanation())) {
            String line = "datasource " + after.name() + " not bound: " + after.explanation();
            if (after.explanation().startsWith("no connection pool seen yet")) {
                Log.debug(line);
            } else if (after.explanation().startsWith("jndi name ")) {
                Log.info(line);
            } else {
                Log.warn(line);
            }
        }
    }

    public List<DataSourceDescription> seen() {
        return seen;
    }

    /** By configured name. */
    public Map<String, Binding> bindings() {
        return bindings;
    }

    /** The last lookup of one JNDI name; holds what it found weakly. */
    private static final class JndiTarget {
        final String name;
        final WeakReference<Object> found;
        final String problem;
        final long lookedUpMillis;

        JndiTarget(String name, Object found, String problem, long lookedUpMillis) {
            this.name = name;
            this.found = new WeakReference<Object>(found);
            this.problem = problem;
            this.lookedUpMillis = lookedUpMillis;
        }

        Object found() {
            return found.get();
        }
    }
}
