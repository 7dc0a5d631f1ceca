package dev.bizmetrics.agent.expose;

import dev.bizmetrics.agent.config.LoadedConfig;
import dev.bizmetrics.agent.discovery.Binding;
import dev.bizmetrics.agent.discovery.DataSourceDescription;
import dev.bizmetrics.agent.engine.QueryState;

import java.util.List;
import java.util.Map;

/** What the agent shows of itself on /metrics (and the status page): read-only, each call a consistent value. */
public interface AgentView {

    String version();

    /** The last (re)load of the configuration. */
    LoadedConfig config();

    /** The latest state of each query, by id; empty while no valid configuration runs. */
    Map<String, QueryState> queries();

    List<DataSourceDescription> dataSources();

    /** By configured DataSource name. */
    Map<String, Binding> bindings();
}
