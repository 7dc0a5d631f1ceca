package dev.bizmetrics.agent.expose;

import dev.bizmetrics.agent.config.LoadedConfig;
import dev.bizmetrics.agent.discovery.Binding;
import dev.bizmetrics.agent.discovery.DataSourceDescription;
import dev.bizmetrics.agent.engine.QueryState;

import java.util.List;
import java.util.Map;

/** What the agent shows of itself on /metrics and the status page: read-only, each call a consistent value. */
public interface AgentView {

    String version();

    /** Epoch millis when the agent started. */
    long startedMillis();

    /** The last (re)load of the configuration, valid or not; the running config may be an earlier one. */
    LoadedConfig lastLoad();

    /** Epoch millis of the last (re)load. */
    long lastLoadMillis();

    /** Why part of the file is not in effect until a restart (a changed {@code http.*}), or null. */
    String restartNotice();

    /** The latest state of each running query, by id; empty while no valid configuration runs. */
    Map<String, QueryState> queries();

    /** How pools are found, to end "Pools are found ...", e.g. "as their classes are defined (...)". */
    String poolFinding();

    List<DataSourceDescription> dataSources();

    /** By configured DataSource name. */
    Map<String, Binding> bindings();
}
