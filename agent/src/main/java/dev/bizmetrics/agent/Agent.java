package dev.bizmetrics.agent;

import dev.bizmetrics.agent.config.ConfigLoader;
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
import dev.bizmetrics.agent.http.MetricsServer;
import dev.bizmetrics.agent.instrument.PoolTransformer;
import dev.bizmetrics.agent.launch.AgentArguments;
import dev.bizmetrics.agent.log.Log;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The running agent, started on the {@code bizmetrics-init} thread once the transformer is in place: reads the
 * configuration, starts the HTTP server and the query scheduler. An invalid configuration still serves
 * {@code /metrics} (with {@code bizmetrics_config_last_reload_success 0}) and runs no query.
 */
public final class Agent implements AgentView {

    private final LoadedConfig config;
    private final Discovery discovery;
    private final QueryScheduler scheduler;

    private Agent(LoadedConfig config, Discovery discovery, QueryScheduler scheduler) {
        this.config = config;
        this.discovery = discovery;
        this.scheduler = scheduler;
    }

    /** Never throws: whatever goes wrong is logged and the host runs on. */
    public static void start(AgentArguments arguments, Instrumentation instrumentation, PoolTransformer transformer) {
        try {
            PoolTransformer.warmUp();
            transformer.retransformLoaded(instrumentation);
            ConfigLoader loader = ConfigLoader.forThisProcess();
            LoadedConfig loaded = loader.load(loader.locate(arguments.configPath()), arguments.overrides());
            Discovery discovery = new Discovery();
            QueryScheduler scheduler = null;
            HttpSettings http = new HttpSettings(HttpSettings.DEFAULT_HOST, HttpSettings.DEFAULT_PORT);
            if (loaded.isValid()) {
                Log.setLevel(loaded.config().logLevel());
                http = loaded.config().http();
                scheduler = new QueryScheduler(loaded.config(), discovery);
                Log.info("version " + Version.get() + ", " + loaded.config().queries().size() + " queries from "
                        + loaded.source());
            } else {
                for (Problem problem : loaded.problems()) {
                    Log.error("config " + problem);
                }
                Log.error("the configuration is invalid; no query runs until it is fixed");
            }
            Agent agent = new Agent(loaded, discovery, scheduler);
            PrometheusRegistry registry = new PrometheusRegistry();
            registry.register(new MetricsCollector(agent));
            if (MetricsServer.start(http, registry) != null && scheduler != null) {
                scheduler.start();
            }
        } catch (Throwable t) {
            Log.error("failed to start; the application runs on without bizmetrics", t);
        }
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public LoadedConfig config() {
        return config;
    }

    @Override
    public Map<String, QueryState> queries() {
        return scheduler == null ? Collections.<String, QueryState>emptyMap() : scheduler.states();
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
