package dev.bizmetrics.agent;

import dev.bizmetrics.agent.config.AgentConfig;
import dev.bizmetrics.agent.config.ConfigLoader;
import dev.bizmetrics.agent.config.ConfigSource;
import dev.bizmetrics.agent.config.HttpSettings;
import dev.bizmetrics.agent.config.LoadedConfig;
import dev.bizmetrics.agent.config.Problem;
import dev.bizmetrics.agent.discovery.Binding;
import dev.bizmetrics.agent.discovery.DataSourceDescription;
import dev.bizmetrics.agent.discovery.Discovery;
import dev.bizmetrics.agent.engine.QueryScheduler;
import dev.bizmetrics.agent.engine.QueryState;
import dev.bizmetrics.agent.expose.AgentView;
import dev.bizmetrics.agent.expose.MetricsCollector;
import dev.bizmetrics.agent.expose.Reloader;
import dev.bizmetrics.agent.http.MetricsServer;
import dev.bizmetrics.agent.instrument.DefinitionHook;
import dev.bizmetrics.agent.instrument.PoolTransformer;
import dev.bizmetrics.agent.config.AgentArguments;
import dev.bizmetrics.agent.launch.HostStartup;
import dev.bizmetrics.agent.log.Log;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The running agent, started on the {@code bizmetrics-init} thread once the transformer is in place: reads the
 * configuration, starts the HTTP server and the query scheduler, and re-reads the file when it changes or on
 * {@code POST /-/reload}. A file that does not validate leaves the running configuration in place; an invalid file
 * at start-up still serves {@code /metrics} (with {@code bizmetrics_config_last_reload_success 0}) and runs no query.
 */
public final class Agent implements AgentView, Reloader {

    private static final long WATCH_MILLIS = 1000L;
    private static final long REOPEN_DELAY_MILLIS = 200L;

    private final ConfigSource source;
    private final String configPath;
    private final Discovery discovery = new Discovery();
    private final QueryScheduler scheduler = new QueryScheduler(discovery);
    private final long startedMillis = System.currentTimeMillis();
    private final String poolFinding;
    private volatile LoadedConfig lastLoad;
    private volatile long lastLoadMillis;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    /** Guarded by this: the open port and the settings it was opened with; null while it is closed. */
    private MetricsServer server;
    private HttpSettings serving;
    /** Guarded by this. */
    private long fileStamp;

    private Agent(ConfigSource source, String poolFinding) {
        this.source = source;
        this.configPath = source.path();
        this.poolFinding = poolFinding;
    }

    private static String poolFinding(String transformerStays) {
        return transformerStays == null ? "as their classes are defined (a hook in java.lang.ClassLoader)"
                : "by a class-file transformer that sees every class loaded, as " + transformerStays;
    }

    /** Never throws: whatever goes wrong is logged and the host runs on. */
    public static void start(AgentArguments arguments, final Instrumentation instrumentation,
                             PoolTransformer transformer) {
        try {
            transformer.retransformLoaded();
            String transformerStays = DefinitionHook.install(instrumentation, transformer);
            HostStartup.awaitSettled(new HostStartup.ClassCount() {
                @Override
                public int loaded() {
                    return instrumentation.getAllLoadedClasses().length;
                }
            });
            new Agent(ConfigSource.forThisProcess(arguments), poolFinding(transformerStays)).run();
        } catch (Throwable t) {
            Log.error("failed to start; the application runs on without bizmetrics", t);
        }
    }

    private synchronized void run() {
        LoadedConfig first = load();
        if (first.isValid()) {
            Log.setLevel(first.config().logLevel());
        } else {
            logProblems(first, first.http() == null ? "the port stays closed and no query runs until it is fixed"
                    : "no query runs until it is fixed");
        }
        registry.register(new MetricsCollector(this));
        scheduler.start();
        openPort(first);
        if (first.isValid()) {
            apply(first.config());
        }
        scheduler.timer().scheduleWithFixedDelay(new Runnable() {
            @Override
            public void run() {
                reloadIfChanged();
            }
        }, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens the port with the settings of this load, or keeps it closed when they cannot be trusted: a port opened
     * with defaults while the file asks for loopback, auth or TLS would be a door the user did not mean to open.
     */
    private void openPort(LoadedConfig loaded) {
        if (loaded.http() == null) {
            return; // the problems logged say why
        }
        server = MetricsServer.start(loaded.http(), registry, this, this);
        serving = server == null ? null : loaded.http();
    }

    @Override
    public synchronized Result reload() {
        LoadedConfig loaded = load();
        List<String> lines = new ArrayList<String>();
        if (loaded.http() != null && (serving == null || !serving.sameServerAs(loaded.http()))) {
            lines.add("http.* changed: the port " + (serving == null ? "opens" : "reopens") + " with the new settings");
            reopenPortSoon();
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

    /**
     * Closes the port and opens it with the last load's settings, a moment from now: a reload asked for over HTTP
     * gets its answer first, on the connection about to close.
     */
    private void reopenPortSoon() {
        scheduler.timer().schedule(new Runnable() {
            @Override
            public void run() {
                reopenPort();
            }
        }, REOPEN_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private synchronized void reopenPort() {
        try {
            if (lastLoad.http() == null || serving != null && serving.sameServerAs(lastLoad.http())) {
                return;
            }
            if (server != null) {
                server.close();
                server = null;
                serving = null;
            }
            openPort(lastLoad);
        } catch (Throwable t) {
            Log.error("reopening the port failed", t);
        }
    }

    private synchronized void reloadIfChanged() {
        try {
            if (currentFileStamp() != fileStamp) {
                Log.info(configPath + " changed; reloading");
                reload();
            }
        } catch (Throwable t) {
            Log.error("reloading " + configPath + " failed", t);
        }
    }

    private synchronized LoadedConfig load() {
        fileStamp = currentFileStamp(); // before reading: a change while we read triggers another reload
        LoadedConfig loaded = ConfigLoader.load(source);
        lastLoad = loaded;
        lastLoadMillis = System.currentTimeMillis();
        return loaded;
    }

    private synchronized void apply(AgentConfig config) {
        Log.setLevel(config.logLevel());
        scheduler.apply(config);
        Log.info("version " + Version.get() + ", " + config.queries().size() + " queries from " + configPath);
    }

    private long currentFileStamp() {
        File file = new File(configPath);
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

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public String poolFinding() {
        return poolFinding;
    }

    @Override
    public long startedMillis() {
        return startedMillis;
    }

    @Override
    public LoadedConfig lastLoad() {
        return lastLoad;
    }

    @Override
    public long lastLoadMillis() {
        return lastLoadMillis;
    }

    @Override
    public String restartNotice() {
        return null;
    }

    @Override
    public Map<String, QueryState> queries() {
        return scheduler.states();
    }

    @Override
    public List<DataSourceDescription> dataSources() {
        return discovery.seen();
    }

    @Override
    public Map<String, Binding> bindings() {
        return discovery.bindings();
    }
}
