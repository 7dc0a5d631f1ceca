package dev.bizmetrics.agent.runtime;

import dev.bizmetrics.agent.config.AgentConfig;
import dev.bizmetrics.agent.config.ConfigLoader;
import dev.bizmetrics.agent.config.ConfigSource;
import dev.bizmetrics.agent.config.DataSourceSpec;
import dev.bizmetrics.agent.config.HttpSettings;
import dev.bizmetrics.agent.config.LoadedConfig;
import dev.bizmetrics.agent.config.Problem;
import dev.bizmetrics.agent.discovery.Discovery;
import dev.bizmetrics.agent.discovery.DiscoveryResult;
import dev.bizmetrics.agent.engine.QueryRunner;
import dev.bizmetrics.agent.state.AgentView;
import dev.bizmetrics.agent.fleet.Fleets;
import dev.bizmetrics.agent.expose.MetricsCollector;
import dev.bizmetrics.agent.http.Reloader;
import dev.bizmetrics.agent.hostexport.ExportMetrics;
import dev.bizmetrics.agent.hostexport.HostExport;
import dev.bizmetrics.agent.http.MetricsServer;
import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.agent.state.AgentSnapshot;
import dev.bizmetrics.agent.state.ExportStatus;
import dev.bizmetrics.agent.state.FleetStatus;
import dev.bizmetrics.agent.threads.DaemonThreads;
import dev.bizmetrics.agent.state.PortState;
import dev.bizmetrics.bootstrap.DataSourceRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.Closeable;
import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The running agent: the owner of every agent thread, with a lifecycle ({@link #start}, {@link #reload},
 * {@link #close}), and of the one snapshot of what the agent knows. Each kind of work has its own thread, so that no
 * kind waits on another:
 * <ul>
 *   <li>{@code bizmetrics-control}: the configuration (load, watch, reload), the port, discovery and its JNDI
 *   look-ups, the log lines deferred from class definitions; all of what may block on the host's code;</li>
 *   <li>{@code bizmetrics-timer}: fires plans, borrow deadlines and statement cancels, and never waits on I/O, so
 *   that a query's timeout holds whatever else is slow;</li>
 *   <li>{@code bizmetrics-cancel-N}: runs {@code Statement.cancel()} and network-timeout callbacks, which may
 *   block on the network;</li>
 *   <li>{@code bizmetrics-query-<datasource>-N}: the runs, as many threads per DataSource as its
 *   {@code max-connections};</li>
 *   <li>{@code bizmetrics-pools}: samples every pool found through its own getters every
 *   {@value PoolSampling#PERIOD_MILLIS} ms, for {@code db_client_connection_*}; it may block on those getters;</li>
 *   <li>{@code bizmetrics-fleet}: with {@code fleet.mode=lock}, the lock attempts and the checks of the leader's
 *   connection (see {@link Fleets}); it may block on the host's pool and database;</li>
 *   <li>{@code bizmetrics-export}: with {@code export.host-registry=auto}, the metrics published into the
 *   application's own registries (see {@link HostExport});</li>
 *   <li>{@code bizmetrics-http-*}: the port (see {@link MetricsServer}).</li>
 * </ul>
 * All are daemon threads. An idle agent wakes its control thread every {@value #TICK_MILLIS} ms (the file's stamp,
 * collected DataSources, JNDI names due, hook errors) and its pool thread every {@value PoolSampling#PERIOD_MILLIS}
 * ms; a DataSource first created or used is news the registry hands to the control thread
 * ({@link RegistryNews}), so that discovery need not poll for it.
 */
public final class Runtime implements Closeable, Reloader, AgentView, Fleets.Listener {

    /** Each wake-up of an idle thread costs about 0.2 ms of CPU here: once a second would be 12 ms a minute. */
    static final long TICK_MILLIS = 5000L;
    /** How long {@code POST /-/reload} waits for the control thread's answer. */
    static final long RELOAD_WAIT_SECONDS = 10L;
    /** A reload asked for over HTTP gets its answer before the port it came on is reopened. */
    static final long REOPEN_DELAY_MILLIS = 200L;

    private final ConfigSource source;
    private final ScheduledThreadPoolExecutor control = single("control");
    private final ScheduledThreadPoolExecutor timer = single("timer");
    private final ScheduledThreadPoolExecutor fleetThread = single("fleet");
    private final ScheduledThreadPoolExecutor poolThread = single("pools");
    private final ExecutorService cancels = Executors.newCachedThreadPool(new DaemonThreads("cancel"));
    private final Discovery discovery = new Discovery();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final SnapshotStore store;
    private final Fleets fleets;
    private final Scheduler scheduler;
    private final HostExport hostExport = new HostExport(new HostExport.Source() {
        @Override
        public MetricSnapshots plainTextMetrics() {
            return MetricsCollector.forPlainText(registry.scrape());
        }

        @Override
        public Object version() {
            return store.get(); // every metric of the agent's is read from this snapshot
        }

        @Override
        public void exported(final ExportStatus status) {
            store.update(new SnapshotStore.Change() {
                @Override
                public AgentSnapshot apply(AgentSnapshot current) {
                    return current.withExport(status);
                }
            });
        }
    });
    /** Control thread only: the open port and the settings it was opened with. */
    private MetricsServer server;
    private HttpSettings serving;
    private long fileStamp;
    private final RegistryNews news = new RegistryNews(control, new Runnable() {
        @Override
        public void run() {
            refreshDiscovery(false);
        }
    });

    public Runtime(ConfigSource source, String version, String poolFinding) {
        this.source = source;
        this.fileStamp = currentFileStamp();
        LoadedConfig first = ConfigLoader.load(source);
        this.store = new SnapshotStore(AgentSnapshot.first(version, System.currentTimeMillis(), poolFinding, first,
                System.currentTimeMillis()));
        QueryRunner runner = new QueryRunner(timer, cancels);
        this.fleets = new Fleets(fleetThread, runner, this);
        this.scheduler = new Scheduler(timer, runner, store, fleets);
        registry.register(new MetricsCollector(this));
        registry.register(new ExportMetrics(hostExport));
    }

    private static ScheduledThreadPoolExecutor single(String purpose) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, DaemonThreads.single(purpose));
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Applies the configuration read at construction, opens the port, and keeps watching. Waits until done. */
    public void start() throws Exception {
        control.submit(new Callable<Void>() {
            @Override
            public Void call() {
                LoadedConfig first = store.get().lastLoad();
                if (first.isValid()) {
                    Log.setLevel(first.config().logLevel());
                    Log.drainDeferred();
                } else {
                    logProblems(first, first.http() == null
                            ? "the port stays closed and no query runs until it is fixed"
                            : "no query runs until it is fixed");
                }
                openPort(first);
                if (first.isValid()) {
                    apply(first.config());
                }
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        control.scheduleWithFixedDelay(new Runnable() {
            @Override
            public void run() {
                tick();
            }
        }, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        poolThread.scheduleWithFixedDelay(new PoolSampling(store), 0L, PoolSampling.PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
        DataSourceRegistry.tellNews(news);
        news.run(); // what the registry saw while this started
    }

    @Override
    public AgentSnapshot snapshot() {
        return store.get();
    }

    /** The registry the port serves, for a test or another exposition. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** Re-reads the file now, on the control thread; for {@code POST /-/reload}. */
    @Override
    public Result reload() {
        try {
            return control.submit(new Callable<Result>() {
                @Override
                public Result call() {
                    return reloadNow();
                }
            }).get(RELOAD_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return new Result(false, Collections.singletonList("the reload takes longer than "
                    + RELOAD_WAIT_SECONDS + " s; the status page shows its outcome once it is done"));
        } catch (Exception e) {
            Log.error("reloading " + source.path() + " failed", e);
            return new Result(false, Collections.singletonList("the reload failed; the agent's log has the details"));
        }
    }

    /** Stops every agent thread and closes the port. The host's connections in use are returned by their runs. */
    @Override
    public void close() {
        DataSourceRegistry.stopNews(news);
        scheduler.stop();
        fleets.close();
        hostExport.close();
        try {
            control.submit(new Runnable() {
                @Override
                public void run() {
                    closePort();
                }
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.debug("closing the port: " + Log.describe(e));
        }
        control.shutdownNow();
        fleetThread.shutdownNow();
        poolThread.shutdownNow();
        timer.shutdownNow();
        cancels.shutdownNow();
    }

    private void tick() {
        try {
            Log.drainDeferred();
            if (currentFileStamp() != fileStamp) {
                Log.info(source.path() + " changed; reloading");
                reloadNow();
            }
            refreshDiscovery(false);
            final long hookErrors = DataSourceRegistry.hookErrors();
            if (hookErrors > store.get().hookErrors()) {
                Log.warn(hookErrors + " error(s) in the agent's hooks in the application's classes so far, swallowed "
                        + "so that the application went on; DataSources may be missing (please report this)");
            }
            store.update(new SnapshotStore.Change() {
                @Override
                public AgentSnapshot apply(AgentSnapshot current) {
                    return current.withHookErrors(hookErrors);
                }
            });
        } catch (Throwable t) {
            Log.error("the agent's control thread failed; it goes on", t);
        }
    }

    private Result reloadNow() {
        final LoadedConfig loaded = load();
        List<String> lines = new ArrayList<String>();
        if (loaded.http() != null && (serving == null || !serving.sameServerAs(loaded.http()))) {
            lines.add("http.* changed: the port " + (serving == null ? "opens" : "reopens") + " with the new settings");
            control.schedule(new Runnable() {
                @Override
                public void run() {
                    reopenPort();
                }
            }, REOPEN_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
        if (!loaded.isValid()) {
            logProblems(loaded, "the changed configuration is invalid; the running one stays in effect");
            for (Problem problem : loaded.problems()) {
                lines.add(problem.toString());
            }
            return new Result(false, lines);
        }
        apply(loaded.config());
        lines.add(0, "applied " + loaded.source() + ": " + loaded.config().queries().size() + " queries");
        return new Result(true, lines);
    }

    private LoadedConfig load() {
        fileStamp = currentFileStamp(); // before reading: a change while we read triggers another reload
        final LoadedConfig loaded = ConfigLoader.load(source);
        final long now = System.currentTimeMillis();
        store.update(new SnapshotStore.Change() {
            @Override
            public AgentSnapshot apply(AgentSnapshot current) {
                return current.withLoad(loaded, now);
            }
        });
        return loaded;
    }

    private void apply(AgentConfig config) {
        Log.setLevel(config.logLevel());
        fleets.apply(config, store.get().discovery());
        scheduler.apply(config);
        hostExport.apply(config.hostRegistry());
        refreshDiscovery(true);
        Log.info("version " + store.get().version() + ", " + config.queries().size() + " queries from "
                + source.path());
    }

    private void refreshDiscovery(boolean always) {
        AgentConfig running = store.get().running();
        Map<String, DataSourceSpec> specs = running == null ? Collections.<String, DataSourceSpec>emptyMap()
                : running.dataSources();
        long now = System.currentTimeMillis();
        if (always || discovery.isDue(specs, now)) {
            final DiscoveryResult result = discovery.refresh(specs, now);
            store.update(new SnapshotStore.Change() {
                @Override
                public AgentSnapshot apply(AgentSnapshot current) {
                    return current.withDiscovery(result);
                }
            });
            fleets.discovered(result);
        }
    }

    @Override
    public void changed(final Map<String, FleetStatus> statuses) {
        store.update(new SnapshotStore.Change() {
            @Override
            public AgentSnapshot apply(AgentSnapshot current) {
                return current.withFleets(statuses);
            }
        });
    }

    @Override
    public void due(String dataSource) {
        scheduler.wake(dataSource);
    }

    /**
     * Opens the port with the settings of this load, or keeps it closed when they cannot be trusted: a port opened
     * with defaults while the file asks for loopback, auth or TLS would be a door the user did not mean to open.
     */
    private void openPort(LoadedConfig loaded) {
        final PortState port;
        if (loaded.http() == null) {
            port = PortState.closed("the http.* settings of " + loaded.source() + " cannot be used; it opens once "
                    + "the file is fixed");
        } else if (loaded.http().isOff()) {
            serving = loaded.http();
            port = PortState.closed("http.port=off");
            Log.info("http.port=off: the agent opens no port, so its status page is unavailable; its state is in the "
                    + "bizmetrics_* self-metrics" + (loaded.isValid() && loaded.config().hostRegistry()
                    ? ", served with the others on the application's own endpoint (export.host-registry=auto)"
                    : "; set export.host-registry=auto to serve them on the application's own endpoint"));
        } else {
            server = MetricsServer.start(loaded.http(), registry, this, this);
            serving = server == null ? null : loaded.http();
            port = server == null ? PortState.closed("it could not be opened (see the agent's log); it is tried "
                    + "again when the file changes") : PortState.open(address(loaded.http(), server.port()));
        }
        store.update(new SnapshotStore.Change() {
            @Override
            public AgentSnapshot apply(AgentSnapshot current) {
                return current.withPort(port);
            }
        });
    }

    private void reopenPort() {
        try {
            LoadedConfig last = store.get().lastLoad();
            if (last.http() == null || serving != null && serving.sameServerAs(last.http())) {
                return;
            }
            closePort();
            openPort(last);
        } catch (Throwable t) {
            Log.error("reopening the port failed", t);
        }
    }

    private void closePort() {
        if (server != null) {
            server.close();
            server = null;
            serving = null;
        }
    }

    private static String address(HttpSettings settings, int port) {
        return (settings.keystore() != null ? "https" : "http") + "://" + settings.host() + ":" + port
                + (settings.username() != null ? " (basic auth)" : "");
    }

    private long currentFileStamp() {
        File file = new File(source.path());
        return file.lastModified() * 31 + file.length();
    }

    private static void logProblems(LoadedConfig loaded, String conclusion) {
        for (Problem problem : loaded.problems()) {
            Log.error("config " + problem + (loaded.isReadable() ? "" : "; " + conclusion));
        }
        if (loaded.isReadable()) {
            Log.error(loaded.problems().size() + " problem(s) in the configuration; " + conclusion);
        }
    }
}
