package dev.bizmetrics.agent.state;

import dev.bizmetrics.agent.config.AgentConfig;
import dev.bizmetrics.agent.config.LoadedConfig;
import dev.bizmetrics.agent.config.QuerySpec;
import dev.bizmetrics.agent.config.Scope;
import dev.bizmetrics.agent.discovery.DiscoveryResult;
import dev.bizmetrics.agent.pools.PoolSample;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the agent knows at one moment, as one immutable value: the last load of the configuration and what
 * runs, the port, the DataSources found and bound, each query's state. Published through one reference; every reader
 * (the collector, the status page, readiness) is a function of one snapshot, so what a scrape or a page shows is
 * consistent. Changes make new snapshots ({@code with...}).
 */
public final class AgentSnapshot {

    private final String version;
    private final long startedMillis;
    private final String poolFinding;
    private final LoadedConfig lastLoad;
    private final long lastLoadMillis;
    private final AgentConfig running;
    private final PortState port;
    private final DiscoveryResult discovery;
    private final Map<String, QueryState> queries;
    private final long hookErrors;
    private final Map<String, FleetStatus> fleets;
    private final Map<String, PoolSample> pools;
    private final ExportStatus export;

    private AgentSnapshot(String version, long startedMillis, String poolFinding, LoadedConfig lastLoad,
                          long lastLoadMillis, AgentConfig running, PortState port, DiscoveryResult discovery,
                          Map<String, QueryState> queries, long hookErrors, Map<String, FleetStatus> fleets,
                          Map<String, PoolSample> pools, ExportStatus export) {
        this.version = version;
        this.startedMillis = startedMillis;
        this.poolFinding = poolFinding;
        this.lastLoad = lastLoad;
        this.lastLoadMillis = lastLoadMillis;
        this.running = running;
        this.port = port;
        this.discovery = discovery;
        this.queries = queries;
        this.hookErrors = hookErrors;
        this.fleets = fleets;
        this.pools = pools;
        this.export = export;
    }

    /** The snapshot of an agent that has just read its configuration for the first time. */
    public static AgentSnapshot first(String version, long startedMillis, String poolFinding, LoadedConfig load,
                                      long loadMillis) {
        return new AgentSnapshot(version, startedMillis, poolFinding, load, loadMillis, null, PortState.NOT_YET,
                DiscoveryResult.EMPTY, Collections.<String, QueryState>emptyMap(), 0,
                Collections.<String, FleetStatus>emptyMap(), Collections.<String, PoolSample>emptyMap(),
                ExportStatus.OFF);
    }

    public String version() {
        return version;
    }

    /** Epoch millis when the agent started. */
    public long startedMillis() {
        return startedMillis;
    }

    /** How pools are found, to end "Pools are found ...", e.g. "as their classes are defined (...)". */
    public String poolFinding() {
        return poolFinding;
    }

    /** The last (re)load of the configuration, valid or not; {@link #running} may be an earlier one. */
    public LoadedConfig lastLoad() {
        return lastLoad;
    }

    /** Epoch millis of the last (re)load. */
    public long lastLoadMillis() {
        return lastLoadMillis;
    }

    /** The configuration in effect, or null while no valid one has been read. */
    public AgentConfig running() {
        return running;
    }

    public PortState port() {
        return port;
    }

    public DiscoveryResult discovery() {
        return discovery;
    }

    /** The state of each running query, by id, in configuration order; empty while no configuration runs. */
    public Map<String, QueryState> queries() {
        return queries;
    }

    /** Errors the woven hooks swallowed so that the host's code went on (they are counted, not thrown). */
    public long hookErrors() {
        return hookErrors;
    }

    /** Per configured DataSource, where this replica stands in its fleet; empty with {@code fleet.mode=off}. */
    public Map<String, FleetStatus> fleets() {
        return fleets;
    }

    /** Whether this replica runs this query now: always, unless it is fleet-scoped and another replica leads. */
    public boolean runsHere(QuerySpec query) {
        FleetStatus fleet = fleets.get(query.dataSource());
        return fleet == null || query.scope() == Scope.INSTANCE || fleet.runsFleetQueries();
    }

    /** The last sample of each pool found, by the name it is exposed under, in the order found. */
    public Map<String, PoolSample> pools() {
        return pools;
    }

    /** What {@code export.host-registry} achieved; {@link ExportStatus#OFF} while it is off. */
    public ExportStatus export() {
        return export;
    }

    public AgentSnapshot withExport(ExportStatus next) {
        return new AgentSnapshot(version, startedMillis, poolFinding, lastLoad, lastLoadMillis, running, port, discovery,
                queries, hookErrors, fleets, pools, next);
    }

    public AgentSnapshot withPools(Map<String, PoolSample> next) {
        return new AgentSnapshot(version, startedMillis, poolFinding, lastLoad, lastLoadMillis, running, port, discovery,
                queries, hookErrors, fleets, Collections.unmodifiableMap(new LinkedHashMap<String, PoolSample>(next)), export);
    }

    /** The fleet statuses of the DataSources that have one now. */
    public AgentSnapshot withFleets(Map<String, FleetStatus> next) {
        return new AgentSnapshot(version, startedMillis, poolFinding, lastLoad, lastLoadMillis, running, port, discovery,
                queries, hookErrors, Collections.unmodifiableMap(new LinkedHashMap<String, FleetStatus>(next)), pools, export);
    }

    public AgentSnapshot withLoad(LoadedConfig load, long loadMillis) {
        return new AgentSnapshot(version, startedMillis, poolFinding, load, loadMillis, running, port, discovery,
                queries, hookErrors, fleets, pools, export);
    }

    /**
     * The configuration in effect and the state of its queries: the same state for a query whose spec did not
     * change, a fresh one for every other.
     */
    public AgentSnapshot withRunning(AgentConfig config, Map<String, QueryState> states) {
        return new AgentSnapshot(version, startedMillis, poolFinding, lastLoad, lastLoadMillis, config, port, discovery,
                Collections.unmodifiableMap(new LinkedHashMap<String, QueryState>(states)), hookErrors, fleets, pools, export);
    }

    public AgentSnapshot withPort(PortState next) {
        return new AgentSnapshot(version, startedMillis, poolFinding, lastLoad, lastLoadMillis, running, next,
                discovery, queries, hookErrors, fleets, pools, export);
    }

    public AgentSnapshot withDiscovery(DiscoveryResult next) {
        return new AgentSnapshot(version, startedMillis, poolFinding, lastLoad, lastLoadMillis, running, port, next,
                queries, hookErrors, fleets, pools, export);
    }

    public AgentSnapshot withHookErrors(long count) {
        return count == hookErrors ? this : new AgentSnapshot(version, startedMillis, poolFinding, lastLoad,
                lastLoadMillis, running, port, discovery, queries, count, fleets, pools, export);
    }

    /** How the state of one query changes. */
    public interface QueryChange {
        QueryState apply(QueryState current);
    }

    /**
     * The snapshot with the state of the query of this very spec changed; this snapshot itself when that spec no
     * longer runs (a reload replaced or removed it while it ran), so that a run only ever stores into its own spec.
     */
    public AgentSnapshot updateQuery(QuerySpec spec, QueryChange change) {
        QueryState current = queries.get(spec.id());
        if (current == null || current.spec() != spec) {
            return this;
        }
        Map<String, QueryState> next = new LinkedHashMap<String, QueryState>(queries);
        next.put(spec.id(), change.apply(current));
        return new AgentSnapshot(version, startedMillis, poolFinding, lastLoad, lastLoadMillis, running, port, discovery,
                Collections.unmodifiableMap(next), hookErrors, fleets, pools, export);
    }
}
