package dev.bizmetrics.agent.expose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bizmetrics.agent.config.ConfigLoader;
import dev.bizmetrics.agent.pools.PoolSample;
import dev.bizmetrics.agent.state.AgentSnapshot;
import dev.bizmetrics.agent.testing.Configs;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector keeps the pool families of one sample until the next sample, and only that long. */
class MetricsCollectorPoolsTest {

    @TempDir
    Path dir;

    private AgentSnapshot current;

    @Test
    void aNewSampleIsExposedAndOtherChangesKeepTheFamilies() {
        current = AgentSnapshot.first("test", 0L, "by a test",
                ConfigLoader.load(Configs.source(Configs.write(dir, "metric.n.sql=SELECT 1 AS n\n"))), 0L);
        MetricsCollector collector = new MetricsCollector(() -> current);
        assertThat(family(collector.collect(), "db_client_connection_max")).isNull();

        current = current.withPools(Map.of("shop", new PoolSample(1, 2, 10, 2, -1, 0, -1)));
        MetricSnapshot first = family(collector.collect(), "db_client_connection_max");
        assertThat(values(first)).containsExactly("{db_client_connection_pool_name=\"shop\"} 10.0");

        current = current.withHookErrors(3); // another change: the same sample, the same families
        assertThat(family(collector.collect(), "db_client_connection_max")).isSameAs(first);

        current = current.withPools(Map.of("shop", new PoolSample(1, 2, 20, 2, -1, 0, -1),
                "batch", new PoolSample(0, 1, 4, 1, -1, 0, -1)));
        assertThat(values(family(collector.collect(), "db_client_connection_max"))).containsExactlyInAnyOrder(
                "{db_client_connection_pool_name=\"shop\"} 20.0", "{db_client_connection_pool_name=\"batch\"} 4.0");
        assertThat(values(family(MetricsCollector.of(current), "db_client_connection_max")))
                .isEqualTo(values(family(collector.collect(), "db_client_connection_max")));

        current = current.withPools(Map.of());
        assertThat(family(collector.collect(), "db_client_connection_max")).isNull();
    }

    private static MetricSnapshot family(MetricSnapshots snapshots, String name) {
        for (MetricSnapshot snapshot : snapshots) {
            if (snapshot.getMetadata().getPrometheusName().equals(name)) {
                return snapshot;
            }
        }
        return null;
    }

    private static List<String> values(MetricSnapshot family) {
        List<String> result = new ArrayList<String>();
        for (GaugeSnapshot.GaugeDataPointSnapshot point : ((GaugeSnapshot) family).getDataPoints()) {
            result.add(point.getLabels() + " " + point.getValue());
        }
        return result;
    }
}
