package dev.bizmetrics.agent.hostexport;

import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.agent.state.ExportStatus;
import dev.bizmetrics.agent.threads.DaemonThreads;
import dev.bizmetrics.bootstrap.HostRegistries;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * {@code export.host-registry=auto}: on its own thread, {@code bizmetrics-export}, once a second while it is on (no
 * thread at all while it is off), registers an adapter with each registry of the application found since
 * ({@link HostTarget}), reads the names the host's own metrics take there, which the adapters leave out, and, when
 * the agent's metrics changed, publishes them in their plain form for the adapters. The host's scrape thread only
 * reads what was published. Turned off by a reload, it unregisters its adapters.
 */
public final class HostExport implements Closeable {

    static final long PERIOD_MILLIS = 1000L;

    /** What to publish, and who hears how the export goes. */
    public interface Source {
        /** The agent's metrics as its own {@code /metrics} serves them in the text format. */
        MetricSnapshots plainTextMetrics();

        /** What the metrics are made of: another object (not equal by identity) whenever they may differ. */
        Object version();

        /** The export's status changed (on the export thread). */
        void exported(ExportStatus status);
    }

    private final Source source;
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, DaemonThreads.single("export"));
    private final Supplier<Object[]> published = new Supplier<Object[]>() {
        @Override
        public Object[] get() {
            return HostRegistries.families();
        }
    };
    /** Shared with the adapters, which add the names they left out and count their errors. */
    private final Set<String> clashes = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());
    private final AtomicLong adapterErrors = new AtomicLong();
    /** Export thread only. */
    private final List<Attached> attached = new ArrayList<Attached>();
    private final Set<String> logged = new HashSet<String>();
    private int seenVersion = -1;
    /** The source's version last published; export thread only. */
    private Object publishedVersion;
    private volatile ExportStatus status = ExportStatus.OFF;
    /** The caller's thread only (the runtime's control thread): the ticks while on. */
    private ScheduledFuture<?> ticks;

    public HostExport(Source source) {
        this.source = source;
    }

    /** Turns the export on or off, as a (re)load of the configuration says; the first tick runs at once. */
    public void apply(boolean on) {
        if (on && ticks == null) {
            ticks = thread.scheduleWithFixedDelay(new Runnable() {
                @Override
                public void run() {
                    tick();
                }
            }, 0L, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        } else if (!on && ticks != null) {
            ticks.cancel(false);
            ticks = null;
            thread.submit(new Runnable() {
                @Override
                public void run() {
                    if (!attached.isEmpty()) {
                        Log.info("export.host-registry is off: the agent's metrics left the application's registries");
                    }
                    detachAll();
                    publishedVersion = null;
                    report(ExportStatus.OFF);
                }
            });
        }
    }

    /** What the self-metrics show. */
    public ExportStatus status() {
        return status;
    }

    private void report(ExportStatus next) {
        if (!next.equals(status)) {
            status = next;
            source.exported(next);
        }
    }

    /** Unregisters every adapter (within 5 s) and stops the thread. */
    @Override
    public void close() {
        if (thread.getPoolSize() == 0) {
            thread.shutdownNow(); // never on: no thread to start now
            return;
        }
        try {
            thread.submit(new Runnable() {
                @Override
                public void run() {
                    detachAll();
                }
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.debug("unregistering from the application's registries: " + Log.describe(e));
        }
        thread.shutdownNow();
    }

    void tick() {
        try {
            attachNew();
            for (Attached each : attached) {
                try {
                    each.hostNames.set(Collections.unmodifiableSet(each.target.hostNames()));
                } catch (Throwable t) {
                    Log.debug("reading the names in " + each.target.kind.label + ": " + Log.describe(t));
                }
            }
            for (String name : clashes) {
                if (logged.add(name)) {
                    Log.warn("the application's registry has a metric named " + name + " already; the agent's " + name
                            + " is left out there (it stays on the agent's own /metrics); rename one of them");
                }
            }
            Map<String, Integer> counts = new LinkedHashMap<String, Integer>();
            for (HostTarget.Kind kind : HostTarget.Kind.values()) {
                counts.put(kind.label, 0);
            }
            for (Attached each : attached) {
                counts.put(each.target.kind.label, counts.get(each.target.kind.label) + 1);
            }
            report(new ExportStatus(true, counts, new TreeSet<String>(clashes),
                    adapterErrors.get() + HostRegistries.errors()));
            // Last, so that what a registry serves includes the export's own state of this tick; the version read
            // first, so that a change while the metrics are made is published at the next tick.
            Object version = source.version();
            if (version != publishedVersion) {
                HostRegistries.publish(PlainFamilies.of(source.plainTextMetrics()));
                publishedVersion = version;
            }
        } catch (Throwable t) {
            Log.error("the agent's export thread failed; it goes on", t);
        }
    }

    private void attachNew() {
        boolean collected = false;
        for (Iterator<Attached> it = attached.iterator(); it.hasNext(); ) {
            if (it.next().target.registry() == null) {
                it.remove();
                collected = true;
            }
        }
        int version = HostRegistries.version();
        if (version == seenVersion && !collected) {
            return;
        }
        seenVersion = version;
        for (Object seen : HostRegistries.registries()) {
            try {
                HostTarget target = HostTarget.of(seen);
                if (target == null || isAttached(target.registry())) {
                    continue;
                }
                attach(target);
            } catch (Throwable t) {
                Log.warn("could not publish into the application's " + seen.getClass().getName() + ": "
                        + Log.describe(t));
            }
        }
    }

    private boolean isAttached(Object registry) {
        for (Attached each : attached) {
            if (each.target.registry() == registry) {
                return true;
            }
        }
        return false;
    }

    private void attach(HostTarget target) throws Exception {
        Object registry = target.registry();
        if (registry == null) {
            return;
        }
        AtomicReference<Set<String>> hostNames = new AtomicReference<Set<String>>(
                Collections.unmodifiableSet(target.hostNames()));
        Class<?> adapterClass = AdapterLoader.define(registry.getClass().getClassLoader(), target.adapterClass());
        Object adapter = adapterClass.getConstructor(Supplier.class, AtomicReference.class, Set.class, AtomicLong.class)
                .newInstance(published, hostNames, clashes, adapterErrors);
        target.call(true, adapter);
        attached.add(new Attached(target, adapter, hostNames));
        Log.info("publishing the agent's metrics into the application's registry (" + target.kind.label + ", "
                + target.seenClass + ")");
    }

    private void detachAll() {
        for (Attached each : attached) {
            try {
                each.target.call(false, each.adapter);
            } catch (Throwable t) {
                Log.debug("unregistering from " + each.target.kind.label + ": " + Log.describe(t));
            }
        }
        attached.clear();
        seenVersion = -1;
        HostRegistries.publish(new Object[0]);
    }

    private static final class Attached {
        final HostTarget target;
        final Object adapter;
        final AtomicReference<Set<String>> hostNames;

        Attached(HostTarget target, Object adapter, AtomicReference<Set<String>> hostNames) {
            this.target = target;
            this.adapter = adapter;
            this.hostNames = hostNames;
        }
    }
}
