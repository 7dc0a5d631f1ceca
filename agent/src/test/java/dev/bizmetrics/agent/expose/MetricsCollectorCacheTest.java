package dev.bizmetrics.agent.expose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bizmetrics.agent.config.ConfigLoader;
import dev.bizmetrics.agent.config.DataSourceSpec;
import dev.bizmetrics.agent.discovery.Discovery;
import dev.bizmetrics.agent.discovery.DiscoveryResult;
import dev.bizmetrics.agent.pools.PoolSample;
import dev.bizmetrics.bootstrap.DataSourceRegistry;
import org.h2.jdbcx.JdbcDataSource;
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

/**
 * The collector keeps the pool families of one sample until the next sample, and the DataSource families of one
 * discovery result until the next result, and only that long.
 */
class MetricsCollectorCacheTest {

    @TempDir
    Path dir;

    private AgentSnapshot current;

    @Test
    void aNewSampleIsExposedAndOtherChangesKeepTheFamilies() {
        current = AgentSnapshot.first("test", 0L, "by a test",
                ConfigLoader.load(Configs.source(Configs.write(dir, "metric.n.sql=SELECT 1 AS n\n"))), 0L);
        MetricsCollector collector = new MetricsCollector(() -> current);
        assertThat(family(collector.collect(), "db_client_connection_max")).isNull();

        current = current.withPools(Map.of("shop", new PoolSample(1, 2, 10, 2, -1, 0, -1, -1, -1)));
        MetricSnapshot first = family(collector.collect(), "db_client_connection_max");
        assertThat(values(first)).containsExactly("{db_client_connection_pool_name=\"shop\"} 10.0");

        current = current.withHookErrors(3); // another change: the same sample, the same families
        assertThat(family(collector.collect(), "db_client_connection_max")).isSameAs(first);

        current = current.withPools(Map.of("shop", new PoolSample(1, 2, 20, 2, -1, 0, -1, -1, -1),
                "batch", new PoolSample(0, 1, 4, 1, -1, 0, -1, -1, -1)));
        assertThat(values(family(collector.collect(), "db_client_connection_max"))).containsExactlyInAnyOrder(
                "{db_client_connection_pool_name=\"shop\"} 20.0", "{db_client_connection_pool_name=\"batch\"} 4.0");
        assertThat(values(family(MetricsCollector.of(current), "db_client_connection_max")))
                .isEqualTo(values(family(collector.collect(), "db_client_connection_max")));

        current = current.withPools(Map.of());
        assertThat(family(collector.collect(), "db_client_connection_max")).isNull();
    }

    @Test
    void aNewDiscoveryResultIsExposedAndOtherChangesKeepTheFamilies() {
        current = AgentSnapshot.first("test", 0L, "by a test",
                ConfigLoader.load(Configs.source(Configs.write(dir, "metric.n.sql=SELECT 1 AS n\n"))), 0L);
        MetricsCollector collector = new MetricsCollector(() -> current);
        MetricSnapshot none = family(collector.collect(), "bizmetrics_datasource");
        assertThat(none.getDataPoints()).isEmpty();

        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:collector-cache");
        DataSourceRegistry.created(h2);
        Map<String, DataSourceSpec> specs = current.lastLoad().config().dataSources();
        DiscoveryResult found = new Discovery().refresh(specs, 0L);
        current = current.withDiscovery(found);
        MetricSnapshot info = family(collector.collect(), "bizmetrics_datasource");
        assertThat(info.getDataPoints()).extracting(point -> point.getLabels().get("url"))
                .contains("jdbc:h2:mem:collector-cache");
        assertThat(family(collector.collect(), "bizmetrics_datasource_bound")).isNotNull();

        current = current.withHookErrors(1); // another change: the same result, the same families
        assertThat(family(collector.collect(), "bizmetrics_datasource")).isSameAs(info);

        current = current.withDiscovery(DiscoveryResult.EMPTY);
        assertThat(family(collector.collect(), "bizmetrics_datasource").getDataPoints()).isEmpty();
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
