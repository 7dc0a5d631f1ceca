package dev.bizmetrics.agent.expose;

import dev.bizmetrics.agent.config.ConfigLoader;
import dev.bizmetrics.agent.pools.PoolSample;
import dev.bizmetrics.agent.state.AgentSnapshot;
import dev.bizmetrics.agent.testing.Configs;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A pool that adds its waits up has db_client_connection_wait_time_seconds with a sum and a count; others have none. */
class PoolWaitTimeTest {

    @TempDir
    Path dir;

    @Test
    void theWaitTimeIsASumAndACountInTheTextFormat() throws Exception {
        AgentSnapshot snapshot = AgentSnapshot.first("test", 0L, "by a test",
                        ConfigLoader.load(Configs.source(Configs.write(dir, "metric.n.sql=SELECT 1 AS n\n"))), 0L)
                .withPools(Map.of("orders", new PoolSample(2, 1, 4, 1, -1, 0, 0, 0.75, 6),
                        "shop", new PoolSample(2, 1, 4, 1, -1, 0, -1, -1, -1)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, MetricsCollector.forPlainText(MetricsCollector.of(snapshot)));
        List<String> lines = Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(line -> line.startsWith("db_client_connection_wait_time") || line.contains(
                        " db_client_connection_wait_time")).collect(Collectors.toList());
        assertThat(lines).containsExactly(
                "# HELP db_client_connection_wait_time_seconds The time it took to obtain an open connection from the "
                        + "pool (sum and count: the pool adds its waits up)",
                "# TYPE db_client_connection_wait_time_seconds summary",
                "db_client_connection_wait_time_seconds_count{db_client_connection_pool_name=\"orders\"} 6",
                "db_client_connection_wait_time_seconds_sum{db_client_connection_pool_name=\"orders\"} 0.75");
    }

    @Test
    void aWaitTimeWithoutItsCountIsUnknown() {
        PoolSample sample = new PoolSample(2, 1, 4, 1, -1, 0, 0, 0.75, -1);
        assertThat(sample.waitSeconds()).isEqualTo(-1);
        assertThat(sample.acquisitions()).isEqualTo(-1);
    }
}
