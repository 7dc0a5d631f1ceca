package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever is wrong with the agent's setup, the host runs as it would without it. */
class HostSafetyIT {

    private static final List<String> SHORT_RUN = List.of("--rate", "20", "--run-seconds", "3");

    @Test
    void aMissingConfigFileLeavesTheHostRunningAndThePortClosedUntilTheFileArrives(@TempDir Path dir)
            throws Exception {
        Path missing = dir.resolve("nope.properties");
        try (HostProcess host = HostProcess.startShop(HostProcess.JAVA_17,
                List.of(HostProcess.agentFlag("config=" + missing + ",http.port=0")), List.of("--rate", "5",
                        "--run-seconds", "12"))) {
            host.awaitLine(line -> line.startsWith("[bizmetrics] error config " + missing)
                    && line.contains("cannot read the configuration (no such file")
                    && line.endsWith("the port stays closed and no query runs until it is fixed"), Duration.ofSeconds(20));
            Thread.sleep(1500);
            assertThat(host.output()).noneMatch(line -> line.contains("serving http://"));

            java.nio.file.Files.writeString(missing, "metric.shop_orders.sql=SELECT COUNT(*) AS n FROM orders\n");
            int port = host.awaitMetricsPort();
            Map<String, Double> scrape = Scrape.until(port, m -> m.containsKey("shop_orders"), Duration.ofSeconds(10));
            assertThat(scrape).containsEntry("bizmetrics_config_last_reload_success", 1.0)
                    .containsEntry("bizmetrics_build_info{version=\"0.1.0-SNAPSHOT\"}", 1.0);
            assertThat(host.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(host.stdout()).anyMatch(line -> line.startsWith("shop: done with"));
        }
    }

    @Test
    void theAgentGivenTwiceStartsOnce(@TempDir Path dir) throws Exception {
        String flag = HostProcess.agentFlag("config=" + TestConfigs.shopOrders(dir) + ",http.port=0");
        try (HostProcess host = HostProcess.startShop(HostProcess.JAVA_17, List.of(flag, flag), SHORT_RUN)) {
            int port = host.awaitMetricsPort();
            Scrape.until(port, m -> Double.valueOf(1.0).equals(m.get("bizmetrics_query_success{query=\"shop_orders\"}")),
                    Duration.ofSeconds(20));
            assertThat(host.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(host.stderr()).filteredOn(line -> line.contains("serving http://")).hasSize(1);
            assertThat(host.stderr()).contains("[bizmetrics] warn the agent is already running in this JVM; "
                    + "ignoring this start (-javaagent given twice?)");
        }
    }

    @Test
    void jdkToolsStartedWithTheAgentInJavaToolOptionsAreLeftAlone(@TempDir Path dir) throws Exception {
        Path jcmd = HostProcess.JAVA_17.resolveSibling("jcmd");
        ProcessBuilder builder = new ProcessBuilder(jcmd.toString(), "-l").redirectErrorStream(true);
        builder.environment().put("JAVA_TOOL_OPTIONS",
                HostProcess.agentFlag("config=" + TestConfigs.shopOrders(dir) + ",http.port=0"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).isZero();
        assertThat(output).contains("Picked up JAVA_TOOL_OPTIONS").doesNotContain("[bizmetrics]");
    }
}
