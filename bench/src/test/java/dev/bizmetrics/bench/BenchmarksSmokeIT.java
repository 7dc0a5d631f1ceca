package dev.bizmetrics.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark jar runs every benchmark in its quick mode and prints its comparisons (the numbers are not checked). */
class BenchmarksSmokeIT {

    @Test
    void everyBenchmarkRunsAndReports() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-jar", System.getProperty("bizmetrics.bench.jar"),
                "--quick", "--agent", System.getProperty("bizmetrics.agent.jar")).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("getConnection()+close() on HikariCP", "hook cost",
                "    100 series text     gzip=false p50", "    100 series protobuf gzip=false p50",
                "GET /metrics with 10 more pools", "    100 series text     gzip=false p50", "(pools=10)",
                "GET /metrics of jmx_exporter 1.0.1", "PoolSampler on a started pool", "  hikari       sample ");
    }
}
