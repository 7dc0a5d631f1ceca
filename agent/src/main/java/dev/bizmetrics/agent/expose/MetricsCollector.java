package dev.bizmetrics.agent.expose;

import dev.bizmetrics.agent.config.MetricSpec;
import dev.bizmetrics.agent.discovery.Binding;
import dev.bizmetrics.agent.discovery.DataSourceDescription;
import dev.bizmetrics.agent.discovery.DiscoveryResult;
import dev.bizmetrics.agent.engine.DropReason;
import dev.bizmetrics.agent.engine.Outcome;
import dev.bizmetrics.agent.engine.QueryResult;
import dev.bizmetrics.agent.pools.PoolSample;
import dev.bizmetrics.agent.state.AgentSnapshot;
import dev.bizmetrics.agent.state.AgentView;
import dev.bizmetrics.agent.state.FleetStatus;
import dev.bizmetrics.agent.state.QueryState;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Exposes the latest results of the queries and the agent's self-metrics, as a function of one snapshot of the
 * agent. A scrape runs no SQL: the business metrics are the immutable snapshots the last successful run of each query
 * built; the self-metrics are a few dozen data points assembled from the queries' states; the pools' and the
 * DataSources' families are built once per pool sample and discovery result.
 */
public final class MetricsCollector implements MultiCollector {

    private static final String POOL_NAME = "db_client_connection_pool_name";
    private static final String POOL_STATE = "db_client_connection_state";

    private final AgentView view;
    /**
     * The families that change only with the pool sample (every 10 s at most) or the discovery result (when a DataSource
     * comes, goes or is bound), kept until those change: they are scraped far more often, and building them anew
     * cost 0.6-0.8 µs a pool and 0.4 µs a DataSource per scrape (client_java checks every label name of every
     * {@code Labels} it makes).
     */
    private volatile Families<Map<String, PoolSample>> pools = Families.none();
    private volatile Families<DiscoveryResult> dataSources = Families.none();

    public MetricsCollector(AgentView view) {
        this.view = view;
    }

    @Override
    public MetricSnapshots collect() {
        AgentSnapshot agent = view.snapshot();
        Families<Map<String, PoolSample>> pools = this.pools;
        if (pools.source != agent.pools()) { // a new sample (AgentSnapshot.withPools)
            pools = new Families<Map<String, PoolSample>>(agent.pools(), poolMetrics(agent.pools()));
            this.pools = pools;
        }
        Families<DiscoveryResult> dataSources = this.dataSources;
        if (dataSources.source != agent.discovery()) { // a new result (Discovery.refresh)
            dataSources = new Families<DiscoveryResult>(agent.discovery(), dataSourceMetrics(agent.discovery()));
            this.dataSources = dataSources;
        }
        return of(agent, dataSources.families, pools.families);
    }

    /**
     * The metrics for one scrape: in the plain text format, which has no gauge histogram, a histogram is a plain
     * one ({@code _bucket}, {@code _sum}, {@code _count}) rather than client_java's histogram plus {@code _gcount}
     * and {@code _gsum} gauges; OpenMetrics and protobuf keep the gauge histogram.
     */
    @Override
    public MetricSnapshots collect(PrometheusScrapeRequest request) {
        MetricSnapshots snapshots = collect();
        return request instanceof PrometheusHttpRequest && isPlainText((PrometheusHttpRequest) request)
                ? forPlainText(snapshots) : snapshots;
    }

    /** What client_java's format negotiation picks: OpenMetrics and protobuf by Accept header or ?debug=. */
    static boolean isPlainText(PrometheusHttpRequest request) {
        String[] debug = request.getParameterValues("debug");
        if (debug != null && debug.length > 0) {
            return debug[0].equals("text");
        }
        String accept = request.getHeader("Accept");
        return accept == null || !accept.contains("application/openmetrics-text")
                && !(accept.contains("application/vnd.google.protobuf")
                && accept.contains("proto=io.prometheus.client.MetricFamily"));
    }

    public static MetricSnapshots forPlainText(MetricSnapshots snapshots) {
        List<MetricSnapshot> result = new ArrayList<MetricSnapshot>(snapshots.size());
        for (MetricSnapshot snapshot : snapshots) {
            if (snapshot instanceof HistogramSnapshot && ((HistogramSnapshot) snapshot).isGaugeHistogram()) {
                HistogramSnapshot histogram = (HistogramSnapshot) snapshot;
                result.add(new HistogramSnapshot(false, histogram.getMetadata(), histogram.getDataPoints()));
            } else {
                result.add(snapshot);
            }
        }
        return new MetricSnapshots(result);
    }

    /** The metrics of one snapshot. */
    public static MetricSnapshots of(AgentSnapshot agent) {
        return of(agent, dataSourceMetrics(agent.discovery()), poolMetrics(agent.pools()));
    }

    private static MetricSnapshots of(AgentSnapshot agent, List<MetricSnapshot> dataSourceFamilies,
            List<MetricSnapshot> poolFamilies) {
        Map<String, QueryState> queries = agent.queries();
        List<MetricSnapshot> snapshots = new ArrayList<MetricSnapshot>();
        for (QueryState state : queries.values()) {
            QueryResult last = state.last();
            // Not while the query waits for its DataSource (e.g. the application dropped its pool), nor on a replica
            // that does not run it for its fleet: no stale values, and a fleet's series come from its leader alone.
            if (last != null && last.outcome() == Outcome.SUCCESS && state.waitingFor() == null
                    && agent.runsHere(state.spec())) {
                snapshots.addAll(last.snapshots());
            }
        }
        snapshots.addAll(queryMetrics(agent));
        snapshots.add(droppedSeries(queries));
        snapshots.addAll(dataSourceFamilies);
        snapshots.addAll(fleetMetrics(agent));
        snapshots.addAll(poolFamilies);
        snapshots.add(gauge("bizmetrics_config_last_reload_success", "1 if the last (re)load of the configuration "
                + "succeeded").dataPoint(point(Labels.EMPTY, agent.lastLoad().isValid() ? 1 : 0)).build());
        snapshots.add(gauge("bizmetrics_config_last_reload_timestamp_seconds",
                "When the configuration was last (re)loaded, in Unix seconds")
                .dataPoint(point(Labels.EMPTY, agent.lastLoadMillis() / 1000.0)).build());
        snapshots.add(InfoSnapshot.builder().name("bizmetrics_build").help("The agent's version")
                .dataPoint(InfoDataPointSnapshot.builder().labels(Labels.of("version", agent.version())).build())
                .build());
        return new MetricSnapshots(snapshots);
    }

    private static List<MetricSnapshot> queryMetrics(AgentSnapshot agent) {
        GaugeSnapshot.Builder success = gauge("bizmetrics_query_success", "1 if the last run of the query succeeded");
        GaugeSnapshot.Builder duration = gauge("bizmetrics_query_duration_seconds", "Duration of the last run of the query");
        GaugeSnapshot.Builder lastSuccess = gauge("bizmetrics_query_last_success_timestamp_seconds",
                "When the query last succeeded, in Unix seconds");
        GaugeSnapshot.Builder rows = gauge("bizmetrics_query_rows", "Rows the last run of the query returned");
        CounterSnapshot.Builder runs = CounterSnapshot.builder().name("bizmetrics_query_runs")
                .help("Runs of the query so far, by result");
        for (Map.Entry<String, QueryState> entry : agent.queries().entrySet()) {
            QueryState state = entry.getValue();
            Labels query = Labels.of("query", entry.getKey());
            for (Outcome outcome : Outcome.values()) {
                runs.dataPoint(CounterDataPointSnapshot.builder()
                        .labels(Labels.of("query", entry.getKey(), "result", outcome.label()))
                        .value(state.runs(outcome)).build());
            }
            QueryResult last = state.last();
            // A follower's last run is of another time: max without (instance) over the fleet reads the leader's.
            if (last == null || !agent.runsHere(state.spec())) {
                continue;
            }
            success.dataPoint(point(query, last.outcome() == Outcome.SUCCESS ? 1 : 0));
            duration.dataPoint(point(query, last.durationSeconds()));
            rows.dataPoint(point(query, last.rows()));
            if (state.lastSuccessMillis() > 0) {
                lastSuccess.dataPoint(point(query, state.lastSuccessMillis() / 1000.0));
            }
        }
        List<MetricSnapshot> result = new ArrayList<MetricSnapshot>();
        result.add(success.build());
        result.add(duration.build());
        result.add(runs.build());
        result.add(lastSuccess.build());
        result.add(rows.build());
        return result;
    }

    private static MetricSnapshot droppedSeries(Map<String, QueryState> queries) {
        CounterSnapshot.Builder dropped = CounterSnapshot.builder().name("bizmetrics_series_dropped")
                .help("Rows that became no series, by metric and reason");
        for (QueryState state : queries.values()) {
            for (MetricSpec metric : state.spec().metrics()) {
                // Every reason from the start, at 0: increase() and alerts need the series before the first drop.
                Map<DropReason, Long> counts = state.dropped().get(metric.name());
                for (DropReason reason : DropReason.values()) {
                    Long count = counts == null ? null : counts.get(reason);
                    dropped.dataPoint(CounterDataPointSnapshot.builder()
                            .labels(Labels.of("metric", metric.name(), "reason", reason.label()))
                            .value(count == null ? 0 : count).build());
                }
            }
        }
        return dropped.build();
    }

    /**
     * datasource, pool, class and url always; context and jndi where the container has them; id only where the
     * others would not tell this DataSource apart.
     */
    private static Labels infoLabels(DataSourceDescription description, String boundName, boolean withId) {
        List<String> names = new ArrayList<String>(Arrays.asList("datasource", "pool", "class", "url"));
        List<String> values = new ArrayList<String>(Arrays.asList(boundName == null ? "" : boundName,
                description.poolName(), description.className(), description.url()));
        if (!description.contextPath().isEmpty()) {
            names.add("context");
            values.add(description.contextPath());
        }
        if (!description.jndiName().isEmpty()) {
            names.add("jndi");
            values.add(description.jndiName());
        }
        if (withId) {
            names.add("id");
            values.add(description.id());
        }
        return Labels.of(names.toArray(new String[0]), values.toArray(new String[0]));
    }

    private static List<MetricSnapshot> dataSourceMetrics(DiscoveryResult discovery) {
        GaugeSnapshot.Builder bound = gauge("bizmetrics_datasource_bound",
                "1 once the configured DataSource name is bound to one of the application's DataSources");
        for (Binding binding : discovery.bindings().values()) {
            bound.dataPoint(point(Labels.of("datasource", binding.name()), binding.isBound() ? 1 : 0));
        }
        InfoSnapshot.Builder info = InfoSnapshot.builder().name("bizmetrics_datasource")
                .help("One per DataSource the agent found; datasource is the configured name it is bound to, if any");
        List<Labels> all = new ArrayList<Labels>();
        Map<Labels, Integer> count = new HashMap<Labels, Integer>();
        for (DataSourceDescription description : discovery.seen()) {
            Labels labels = infoLabels(description, discovery.boundName(description), false);
            all.add(labels);
            count.put(labels, count.containsKey(labels) ? count.get(labels) + 1 : 1);
        }
        for (int i = 0; i < all.size(); i++) {
            // DataSources alike in every label (two unnamed pools of one URL) each get their id: never one series.
            Labels labels = count.get(all.get(i)) > 1 ? infoLabels(discovery.seen().get(i),
                    discovery.boundName(discovery.seen().get(i)), true) : all.get(i);
            info.dataPoint(InfoDataPointSnapshot.builder().labels(labels).build());
        }
        List<MetricSnapshot> result = new ArrayList<MetricSnapshot>();
        result.add(info.build());
        result.add(bound.build());
        return Collections.unmodifiableList(result);
    }

    /**
     * The pools as the OpenTelemetry semantic conventions for database client metrics name them
     * ({@code db.client.connection.*}), in their Prometheus form; a count the pool does not tell is left out.
     */
    private static List<MetricSnapshot> poolMetrics(Map<String, PoolSample> pools) {
        List<MetricSnapshot> result = new ArrayList<MetricSnapshot>();
        if (pools.isEmpty()) {
            return result;
        }
        GaugeSnapshot.Builder count = gauge("db_client_connection_count",
                "The number of connections that are currently in state described by the state attribute");
        GaugeSnapshot.Builder max = gauge("db_client_connection_max", "The maximum number of open connections allowed");
        GaugeSnapshot.Builder idleMin = gauge("db_client_connection_idle_min",
                "The minimum number of idle open connections allowed");
        GaugeSnapshot.Builder idleMax = gauge("db_client_connection_idle_max",
                "The maximum number of idle open connections allowed");
        GaugeSnapshot.Builder pending = gauge("db_client_connection_pending_requests",
                "The number of current pending requests for an open connection");
        CounterSnapshot.Builder timeouts = CounterSnapshot.builder().name("db_client_connection_timeouts")
                .help("The number of connection timeouts that have occurred trying to obtain a connection from the pool");
        // A histogram in the conventions; the pools that add their waits up give its sum and count alone.
        SummarySnapshot.Builder waitTime = SummarySnapshot.builder().name("db_client_connection_wait_time_seconds")
                .help("The time it took to obtain an open connection from the pool (sum and count: the pool adds "
                        + "its waits up)");
        for (Map.Entry<String, PoolSample> pool : pools.entrySet()) {
            PoolSample sample = pool.getValue();
            Labels name = Labels.of(POOL_NAME, pool.getKey());
            if (sample.used() >= 0) {
                count.dataPoint(point(name.add(POOL_STATE, "used"), sample.used()));
            }
            if (sample.idle() >= 0) {
                count.dataPoint(point(name.add(POOL_STATE, "idle"), sample.idle()));
            }
            addKnown(max, name, sample.max());
            addKnown(idleMin, name, sample.idleMin());
            addKnown(idleMax, name, sample.idleMax());
            addKnown(pending, name, sample.pending());
            if (sample.timeouts() >= 0) {
                timeouts.dataPoint(CounterDataPointSnapshot.builder().labels(name).value(sample.timeouts()).build());
            }
            if (sample.acquisitions() >= 0) {
                waitTime.dataPoint(SummaryDataPointSnapshot.builder().labels(name).sum(sample.waitSeconds())
                        .count(sample.acquisitions()).build());
            }
        }
        result.add(count.build());
        result.add(max.build());
        result.add(idleMin.build());
        result.add(idleMax.build());
        result.add(pending.build());
        result.add(timeouts.build());
        result.add(waitTime.build());
        return Collections.unmodifiableList(result);
    }

    /** The families built from one source (a pool sample or a discovery result, compared by identity). */
    private static final class Families<S> {
        final S source;
        final List<MetricSnapshot> families;

        Families(S source, List<MetricSnapshot> families) {
            this.source = source;
            this.families = families;
        }

        static <S> Families<S> none() {
            return new Families<S>(null, Collections.<MetricSnapshot>emptyList());
        }
    }

    private static void addKnown(GaugeSnapshot.Builder gauge, Labels labels, int value) {
        if (value >= 0) {
            gauge.dataPoint(point(labels, value));
        }
    }

    private static List<MetricSnapshot> fleetMetrics(AgentSnapshot agent) {
        List<MetricSnapshot> result = new ArrayList<MetricSnapshot>();
        if (agent.fleets().isEmpty()) {
            return result;
        }
        GaugeSnapshot.Builder leader = gauge("bizmetrics_fleet_leader",
                "1 while this replica holds its fleet's lock and runs the fleet's queries");
        GaugeSnapshot.Builder mode = gauge("bizmetrics_fleet_mode", "1 for how the fleet's queries run here: "
                + "mode=lock when a database lock picks one replica, mode=every when every replica runs them, and why");
        for (FleetStatus fleet : agent.fleets().values()) {
            leader.dataPoint(point(Labels.of("datasource", fleet.dataSource(), "fleet", fleet.fleet()),
                    fleet.leads() ? 1 : 0));
            mode.dataPoint(point(Labels.of("datasource", fleet.dataSource(), "fleet", fleet.fleet(),
                    "mode", fleet.reason().mode(), "reason", fleet.reason().label()), 1));
        }
        result.add(leader.build());
        result.add(mode.build());
        return result;
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
