package dev.bizmetrics.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bizmetrics.agent.config.AgentConfig;
import dev.bizmetrics.agent.config.ConfigLoader;
import dev.bizmetrics.agent.config.QuerySpec;
import dev.bizmetrics.agent.engine.Outcome;
import dev.bizmetrics.agent.engine.QueryResult;
import dev.bizmetrics.agent.expose.MetricsCollector;
import dev.bizmetrics.agent.state.AgentSnapshot;
import dev.bizmetrics.agent.state.FleetStatus;
import dev.bizmetrics.agent.state.FleetStatus.Reason;
import dev.bizmetrics.agent.state.QueryState;
import dev.bizmetrics.agent.testing.Configs;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a replica shows of its fleet: a pure function of one snapshot, for the collector, readiness and the page. */
class FleetViewsTest {

    @TempDir
    Path dir;

    /** A replica with a fleet-scoped and an instance-scoped query, both run once (and failed), in this status. */
    private AgentSnapshot replica(Reason reason) {
        Path file = Configs.write(dir, "fleet.mode=lock\nfleet.name=shop\nmetric.fleet_n.sql=SELECT 1 AS n\n"
                + "metric.pod_n.sql=SELECT 2 AS n\nmetric.pod_n.scope=instance\n");
        AgentConfig config = ConfigLoader.load(Configs.source(file)).config();
        Map<String, QueryState> states = new LinkedHashMap<>();
        for (QuerySpec spec : config.queries()) {
            states.put(spec.id(), QueryState.initial(spec).after(QueryResult.failure(Outcome.ERROR, 1000L, 0.5,
                    "relation does not exist")));
        }
        FleetStatus status = new FleetStatus("main", "shop", reason, 0L, "pg_advisory_lock(42)",
                "another replica holds pg_advisory_lock(42)");
        return AgentSnapshot.first("test", 0L, "by a test", ConfigLoader.load(Configs.source(file)), 0L)
                .withRunning(config, states).withFleets(Map.of("main", status));
    }

    private static List<String> series(AgentSnapshot snapshot, String name) {
        return StreamSupport.stream(MetricsCollector.of(snapshot).spliterator(), false)
                .filter(m -> m.getMetadata().getPrometheusName().equals(name))
                .flatMap(m -> m.getDataPoints().stream())
                .map(p -> p.getLabels().toString())
                .collect(Collectors.toList());
    }

    @Test
    void aFollowerShowsNoLastRunOfTheFleetsQueriesButOfItsOwn() {
        AgentSnapshot follower = replica(Reason.FOLLOWS);
        assertThat(series(follower, "bizmetrics_query_success")).containsExactly("{query=\"pod_n\"}");
        assertThat(series(follower, "bizmetrics_query_duration_seconds")).containsExactly("{query=\"pod_n\"}");
        assertThat(series(follower, "bizmetrics_query_runs")).hasSize(2 * Outcome.values().length);
        assertThat(series(follower, "bizmetrics_fleet_leader")).containsExactly("{datasource=\"main\",fleet=\"shop\"}");
        assertThat(series(follower, "bizmetrics_fleet_mode"))
                .containsExactly("{datasource=\"main\",fleet=\"shop\",mode=\"lock\",reason=\"follows\"}");

        AgentSnapshot leader = replica(Reason.LEADS);
        assertThat(series(leader, "bizmetrics_query_success")).containsExactly("{query=\"fleet_n\"}",
                "{query=\"pod_n\"}");
        AgentSnapshot every = replica(Reason.NO_LOCK);
        assertThat(series(every, "bizmetrics_query_success")).hasSize(2);
        assertThat(series(every, "bizmetrics_fleet_mode"))
                .containsExactly("{datasource=\"main\",fleet=\"shop\",mode=\"every\",reason=\"no_lock\"}");
    }

    @Test
    void withoutFleetModeThereAreNoFleetMetrics() {
        Path file = Configs.write(dir, "metric.a.sql=SELECT 1 AS n\n");
        AgentSnapshot off = AgentSnapshot.first("test", 0L, "by a test", ConfigLoader.load(Configs.source(file)), 0L);
        for (MetricSnapshot metric : MetricsCollector.of(off)) {
            assertThat(metric.getMetadata().getName()).doesNotStartWith("bizmetrics_fleet");
        }
    }

    @Test
    void aFollowerIsReadyWithoutRunningTheFleetsQueriesAndAStartingReplicaIsNot() {
        AgentSnapshot follower = replica(Reason.FOLLOWS);
        // Bindings are empty in this snapshot, so readiness reads the fleet and the queries only.
        assertThat(Readiness.notReadyBecause(follower)).isNull();
        assertThat(Readiness.notReadyBecause(replica(Reason.STARTING)))
                .isEqualTo("datasource main neither leads nor follows fleet shop yet: another replica holds "
                        + "pg_advisory_lock(42)");
    }

    @Test
    void theStatusPageHasAFleetSectionAndEachQuerysScope() {
        String page = StatusPage.render(replica(Reason.FOLLOWS));
        assertThat(page).contains("<h2>Fleet</h2>",
                "<td data-label=\"this replica\" class=\"role muted\">follows</td>",
                "<code>pg_advisory_lock(42)</code>", "another replica holds pg_advisory_lock(42)",
                "main <span class=\"muted\">(fleet)</span>", "main <span class=\"muted\">(instance)</span>");
        assertThat(StatusPage.render(replica(Reason.LEADS)))
                .contains("<td data-label=\"this replica\" class=\"role ok\">leads</td>");
    }
}
