package dev.bizmetrics.agent.config;

import dev.bizmetrics.agent.log.Log;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A validated configuration. Immutable: a reload builds a new one. */
public final class AgentConfig {
    private final HttpSettings http;
    private final Log.Level logLevel;
    private final boolean allowAnySql;
    private final boolean genericDiscovery;
    private final Map<String, DataSourceSpec> dataSources;
    private final List<QuerySpec> queries;
    private final FleetSettings fleet;
    private final boolean poolMetrics;
    private final boolean hostRegistry;

    AgentConfig(HttpSettings http, Log.Level logLevel, boolean allowAnySql, boolean genericDiscovery,
                Map<String, DataSourceSpec> dataSources, List<QuerySpec> queries, FleetSettings fleet,
                boolean poolMetrics, boolean hostRegistry) {
        this.http = http;
        this.logLevel = logLevel;
        this.allowAnySql = allowAnySql;
        this.genericDiscovery = genericDiscovery;
        this.dataSources = Collections.unmodifiableMap(dataSources);
        this.queries = Collections.unmodifiableList(queries);
        this.fleet = fleet;
        this.poolMetrics = poolMetrics;
        this.hostRegistry = hostRegistry;
    }

    /** {@code export.host-registry=auto}: the metrics are also published into the application's own registry. */
    public boolean hostRegistry() {
        return hostRegistry;
    }

    /** {@code pools.metrics}: every pool found is sampled and exposed as {@code db_client_connection_*}. */
    public boolean poolMetrics() {
        return poolMetrics;
    }

    public HttpSettings http() {
        return http;
    }

    public Log.Level logLevel() {
        return logLevel;
    }

    public boolean allowAnySql() {
        return allowAnySql;
    }

    /** {@code discovery.generic}: in effect only as it was at start (premain reads it); a change needs a restart. */
    public boolean genericDiscovery() {
        return genericDiscovery;
    }

    /** By configured name; {@code main} with {@code match=auto} when the file defines none. */
    public Map<String, DataSourceSpec> dataSources() {
        return dataSources;
    }

    public List<QuerySpec> queries() {
        return queries;
    }

    /** {@code fleet.*}. */
    public FleetSettings fleet() {
        return fleet;
    }

    /** The fleet a DataSource's replicas share (see {@link FleetSettings#nameFor}). */
    public String fleetName(String dataSource) {
        return fleet.nameFor(dataSource, queries);
    }
}
