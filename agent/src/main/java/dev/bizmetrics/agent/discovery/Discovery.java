package dev.bizmetrics.agent.discovery;

import dev.bizmetrics.agent.config.DataSourceSpec;
import dev.bizmetrics.agent.config.Selector;
import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.agent.pools.PoolCatalog;
import dev.bizmetrics.bootstrap.DataSourceRegistry;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's view of the application's DataSources: what the hooks have seen, described, and which configured name
 * each is bound to. Runs on the agent's control thread only; each {@link #refresh} gives an immutable
 * {@link DiscoveryResult}.
 *
 * <p>It works only when there is news ({@link #isDue}): the registry saw an instance created or first used, an
 * instance was collected, the configuration changed, or a JNDI name is due for another look-up. Each instance is
 * described once, by reflection on the host's getters, and again when it is first asked for a connection (an
 * unnamed pool gets its name then) and when the application first uses it; one described without a URL (set up by
 * setters some time after its constructor) is described again at each look for {@value #LATE_SETUP_MILLIS} ms.
 * Otherwise an idle agent does no reflection at all.
 *
 * <p>A wrapper (a Spring proxy, a JDK proxy, any {@link java.sql.Wrapper}) stands for the DataSource inside it, so
 * that it never competes with the pool it wraps. {@code jndi:} names are looked up here, with the class loaders of
 * the application: the context class loader of the thread that created this, the loaders of the DataSource classes
 * seen and the context class loaders of the threads that created and first used each (every web application's),
 * all held weakly.
 */
public final class Discovery {

    /** A name not found yet is looked up again this often. */
    static final long JNDI_RETRY_MILLIS = 5000L;
    /** A resolved JNDI name is looked up again this often, to follow a name bound to another DataSource. */
    static final long JNDI_RECHECK_MILLIS = 30000L;

    /** How long an instance seen without a URL is described again at each look, for setters called late. */
    static final long LATE_SETUP_MILLIS = 60000L;

    /** The context class loader of the thread that created this (the agent's start thread). */
    private final WeakReference<ClassLoader> startLoader;
    /** The class loaders of the DataSources seen, oldest first. */
    private final List<WeakReference<ClassLoader>> loaders = new ArrayList<WeakReference<ClassLoader>>();
    /** Per configured name, the last JNDI result. */
    private final Map<String, JndiTarget> jndiTargets = new HashMap<String, JndiTarget>();
    /** Every instance described, in the order first seen; wrappers under their own instance. */
    private final List<Described> described = new ArrayList<Described>();
    /** Per configured name kept bound against a fresh decision, that decision's explanation (logged once). */
    private final Map<String, String> overruled = new HashMap<String, String>();
    /** Counts the class loaders remembered: a JNDI name is looked up again when a web application appears. */
    private int loaderGeneration;
    private int registryVersion = Integer.MIN_VALUE;
    private Map<String, DataSourceSpec> specs = Collections.emptyMap();
    private DiscoveryResult last = DiscoveryResult.EMPTY;

    public Discovery() {
        startLoader = new WeakReference<ClassLoader>(Thread.currentThread().getContextClassLoader());
    }

    /** Whether {@link #refresh} could find anything new now. Cheap: a volatile read and a few reference checks. */
    public boolean isDue(Map<String, DataSourceSpec> specs, long nowMillis) {
        if (!specs.equals(this.specs) || DataSourceRegistry.version() != registryVersion) {
            return true;
        }
        for (Described d : described) {
            if (d.instance.get() == null || d.awaitsSetup(nowMillis)) {
                return true;
            }
        }
        for (JndiTarget target : jndiTargets.values()) {
            if (nowMillis >= target.nextLookupMillis) {
                return true;
            }
        }
        return false;
    }

    /** Re-reads the registry and re-applies the selectors; logs each binding that changed. */
    public DiscoveryResult refresh(Map<String, DataSourceSpec> specs, long nowMillis) {
        this.specs = specs;
        registryVersion = DataSourceRegistry.version();
        forgetCollected();
        List<DataSourceDescription> seen = new ArrayList<DataSourceDescription>();
        for (Object instance : DataSourceRegistry.snapshot()) {
            rememberLoader(instance.getClass().getClassLoader());
            rememberLoader(DataSourceRegistry.owner(instance));
            rememberLoader(DataSourceRegistry.firstUser(instance));
            add(seen, instance, nowMillis);
        }
        Map<String, List<DataSourceDescription>> byJndi = new HashMap<String, List<DataSourceDescription>>();
        Map<String, String> jndiProblems = new HashMap<String, String>();
        for (DataSourceSpec spec : specs.values()) {
            if (spec.selector().kind() != Selector.Kind.JNDI) {
                continue;
            }
            String jndiName = spec.selector().argument();
            JndiTarget target = jndi(spec.name(), jndiName, nowMillis);
            List<DataSourceDescription> found = new ArrayList<DataSourceDescription>();
            for (Object object : target.found()) {
                DataSourceDescription d = add(seen, object, nowMillis);
                if (d == null) {
                    jndiProblems.put(spec.name(), jndiName + " is a " + object.getClass().getName()
                            + ", not a javax.sql.DataSource");
                    continue;
                }
                DataSourceDescription named = d.withJndiName(jndiName);
                seen.set(seen.indexOf(d), named);
                found.add(named);
            }
            if (target.found().isEmpty()) {
                jndiProblems.put(spec.name(), target.problem);
            }
            byJndi.put(spec.name(), found);
        }
        jndiTargets.keySet().retainAll(specs.keySet());
        overruled.keySet().retainAll(specs.keySet());
        Map<String, Binding> bindings = new LinkedHashMap<String, Binding>();
        for (DataSourceSpec spec : specs.values()) {
            List<DataSourceDescription> jndiFound = byJndi.get(spec.name());
            Binding fresh = Binder.bind(spec, seen, jndiFound == null ? Collections.<DataSourceDescription>emptyList()
                    : jndiFound, jndiProblems.get(spec.name()));
            Binding before = last.bindings().get(spec.name());
            Binding binding = fresh;
            DataSourceDescription kept = Binder.stays(before, spec.selector(), seen, jndiFound == null
                    ? Collections.<DataSourceDescription>emptyList() : jndiFound);
            if (kept != null && (!fresh.isBound() || fresh.bound().instance() != kept.instance())) {
                binding = before.keptWith(kept);
                if (!fresh.explanation().equals(overruled.get(spec.name()))) {
                    logStay(binding, fresh);
                }
                overruled.put(spec.name(), fresh.explanation());
            } else {
                overruled.remove(spec.name());
            }
            logChange(before, binding);
            bindings.put(spec.name(), binding);
        }
        last = new DiscoveryResult(seen, bindings);
        return last;
    }

    /**
     * The description of what an instance stands for (a wrapper resolved), added to {@code seen} unless it is there
     * already; null when it is not a DataSource.
     */
    private DataSourceDescription add(List<DataSourceDescription> seen, Object instance, long nowMillis) {
        try {
            DataSourceDescription description = describe(instance, nowMillis);
            if (description == null) {
                return null;
            }
            for (DataSourceDescription d : seen) {
                if (d.instance() == description.instance() || sameSharedPool(d, description)) {
                    return d;
                }
            }
            seen.add(description);
            return description;
        } catch (Throwable t) {
            Log.debug("could not describe a " + instance.getClass().getName() + ": " + Log.describe(t));
            return null;
        }
    }

    /** Two handles on one pool the server holds (Payara's DataSource40 per look-up): the first seen stands for all. */
    private static boolean sameSharedPool(DataSourceDescription a, DataSourceDescription b) {
        return PoolCatalog.isSharedPoolHandle(a.className()) && a.className().equals(b.className())
                && !a.poolName().isEmpty() && a.poolName().equals(b.poolName());
    }

    /**
     * The cached description, made again once the application has first used the instance, and while it has no URL
     * in its first {@value #LATE_SETUP_MILLIS} ms.
     */
    private DataSourceDescription describe(Object instance, long nowMillis) {
        for (Described d : described) {
            if (d.instance.get() == instance) {
                Object target = d.description == null ? null : d.description.instance();
                if (target != null && (d.description.isUsed() != DataSourceRegistry.isUsed(target)
                        || d.startedWhenDescribed != DataSourceRegistry.isStarted(target)
                        || d.awaitsSetup(nowMillis))) {
                    d.description = DataSourceDescriber.describeAny(target);
                    d.startedWhenDescribed = DataSourceRegistry.isStarted(target);
                }
                return d.description;
            }
        }
        Object target = DataSourceDescriber.resolve(instance);
        DataSourceDescription description = DataSourceDescriber.describeAny(target);
        described.add(new Described(instance, description, nowMillis));
        if (description != null) {
            Log.debug("saw " + description.id() + (target == instance ? "" : " behind a "
                    + instance.getClass().getName()) + ", class loader " + loaderName(target.getClass()
                    .getClassLoader()) + (description.poolName().isEmpty() ? "" : ", pool '" + description.poolName()
                    + "'") + (description.url().isEmpty() ? "" : ", " + description.url())
                    + (description.ownerText().isEmpty() ? "" : ", " + description.ownerText()));
        }
        return description;
    }

    private static String loaderName(ClassLoader loader) {
        return loader == null ? "bootstrap" : loader.getClass().getName() + "@"
                + Integer.toHexString(System.identityHashCode(loader));
    }

    private void forgetCollected() {
        for (int i = described.size() - 1; i >= 0; i--) {
            Described d = described.get(i);
            if (d.instance.get() == null || d.description != null && d.description.instance() == null) {
                described.remove(i);
            }
        }
    }

    private JndiTarget jndi(String specName, String jndiName, long now) {
        JndiTarget known = jndiTargets.get(specName);
        if (known != null && known.name.equals(jndiName) && now < known.nextLookupMillis
                && known.loaderGeneration == loaderGeneration) {
            return known;
        }
        JndiLookup.Result result = JndiLookup.lookup(jndiName, liveLoaders());
        JndiTarget target;
        if (result.found.isEmpty() && known != null && known.name.equals(jndiName) && !known.found().isEmpty()) {
            // The recheck failed but the DataSources found before are alive: keep them, try again later.
            target = new JndiTarget(jndiName, known.found(), null, now + JNDI_RECHECK_MILLIS, loaderGeneration);
        } else {
            target = new JndiTarget(jndiName, result.found, result.problem,
                    now + (result.found.isEmpty() ? JNDI_RETRY_MILLIS : JNDI_RECHECK_MILLIS), loaderGeneration);
        }
        if (result.found.isEmpty()) {
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
        loaderGeneration++;
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

    /**
     * A binding kept although the selector would now pick otherwise: another DataSource appeared (a web application
     * deployed after the binding, say). Logged once per fresh decision that the binding overrules.
     */
    private static void logStay(Binding kept, Binding fresh) {
        Log.info("datasource " + kept.name() + " stays bound to " + kept.bound().id() + ", although "
                + (fresh.isBound() ? fresh.bound().id() + " would be chosen now" : "the match would not choose it "
                + "now (" + fresh.explanation() + ")") + ": a binding changes only when its DataSource is closed or "
                + "collected or the configuration changes");
    }

    private static void logChange(Binding before, Binding after) {
        if (after.sameAs(before)) {
            return;
        }
        if (after.isBound()) {
            DataSourceDescription d = after.bound();
            Log.info("datasource " + after.name() + " bound to " + d.id()
                    + (d.poolName().isEmpty() ? "" : " pool '" + d.poolName() + "'")
                    + (d.url().isEmpty() ? "" : " " + d.url())
                    + (d.ownerText().isEmpty() ? "" : " (" + d.ownerText() + ")"));
            return;
        }
        String line = "datasource " + after.name() + " not bound: " + after.explanation();
        switch (after.reason()) {
            case NOTHING_SEEN:
                Log.debug(line);
                break;
            case JNDI_PENDING:
            case WAITING_FOR_USE:
                Log.info(line);
                break;
            default:
                Log.warn(line);
        }
    }

    /** An instance the registry gave, with what it stands for described (null when it is no DataSource). */
    private static final class Described {
        final WeakReference<Object> instance;
        DataSourceDescription description;
        /** Whether anyone had asked it for a connection then: a pool may name itself when it starts. */
        boolean startedWhenDescribed;
        final long firstSeenMillis;

        Described(Object instance, DataSourceDescription description, long firstSeenMillis) {
            this.instance = new WeakReference<Object>(instance);
            this.description = description;
            this.firstSeenMillis = firstSeenMillis;
            this.startedWhenDescribed = description != null && description.instance() != null
                    && DataSourceRegistry.isStarted(description.instance());
        }

        /** A DataSource described without a URL, seen recently enough that its setters may still come. */
        boolean awaitsSetup(long nowMillis) {
            return description != null && description.url().isEmpty()
                    && nowMillis - firstSeenMillis < LATE_SETUP_MILLIS;
        }
    }

    /** The last lookup of one JNDI name; holds what it found (in each naming context) weakly. */
    private static final class JndiTarget {
        final String name;
        final List<WeakReference<Object>> found = new ArrayList<WeakReference<Object>>();
        final String problem;
        final long nextLookupMillis;
        final int loaderGeneration;

        JndiTarget(String name, List<Object> found, String problem, long nextLookupMillis, int loaderGeneration) {
            this.name = name;
            for (Object object : found) {
                this.found.add(new WeakReference<Object>(object));
            }
            this.problem = problem;
            this.nextLookupMillis = nextLookupMillis;
            this.loaderGeneration = loaderGeneration;
        }

        /** What is alive of what the lookup found. */
        List<Object> found() {
            List<Object> alive = new ArrayList<Object>();
            for (WeakReference<Object> ref : found) {
                Object object = ref.get();
                if (object != null) {
                    alive.add(object);
                }
            }
            return alive;
        }
    }
}
