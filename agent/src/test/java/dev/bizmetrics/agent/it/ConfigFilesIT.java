package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.CommandResult;
import dev.bizmetrics.agent.it.support.ConfigFiles;
import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.Json;
import dev.bizmetrics.agent.it.support.Promtool;
import dev.bizmetrics.agent.it.support.ProtobufScrape;
import dev.bizmetrics.agent.it.support.Scrape;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.bizmetrics.agent.it.support.ConfigFiles.promqlMetricNames;
import static dev.bizmetrics.agent.it.support.Scrape.family;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files in config/ as a user takes them: the agent's {@code check} accepts bizmetrics.properties, promtool
 * accepts prometheus.yml and alerts.yml (and their unit tests pass), a real scrape of the sample app with that
 * config passes {@code promtool check metrics}, and the Grafana dashboard and the alerts only read metrics that the
 * scrape really has.
 */
class ConfigFilesIT {

    @Test
    void theShippedConfigPassesCheckAndHasWhatTheQuickstartPromises() throws Exception {
        CommandResult check = CommandResult.run("check", ConfigFiles.BIZMETRICS.toString());
        assertThat(check.exitCode()).as(check.stderr()).isZero();
        Set<String> queries = ConfigFiles.configuredQueries();
        assertThat(check.stdout()).endsWith(" is valid: " + queries.size() + " queries\n");

        Set<String> metrics = ConfigFiles.configuredMetrics();
        assertThat(metrics).hasSizeBetween(8, 14);
        assertThat(check.stdout()).contains("(info)", "(counter)");
        // a shared query.* feeding at least two metrics
        List<String> lines = check.stdout().lines().toList();
        boolean shared = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("query ") && !metrics.contains(line.substring(6, line.indexOf(':')))) {
                shared |= i + 2 < lines.size() && lines.get(i + 1).startsWith("  metric ")
                        && lines.get(i + 2).startsWith("  metric ");
            }
        }
        assertThat(shared).as("a query.* feeding two metrics in\n" + check.stdout()).isTrue();
        // demo.sh reads the port from this line
        assertThat(Files.readAllLines(ConfigFiles.BIZMETRICS)).contains("http.port=30313");
    }

    @Test
    void promtoolAcceptsThePrometheusConfigAndTheAlertRulesAndTheirUnitTestsPass() throws Exception {
        String promtool = ConfigFiles.PROMTOOL_BIN.toString();
        CommandResult config = ConfigFiles.exec(List.of(promtool, "check", "config", ConfigFiles.PROMETHEUS.toString()));
        assertThat(config.exitCode()).as(config.stdout()).isZero();
        assertThat(config.stdout()).contains("SUCCESS: 1 rule files found");

        CommandResult rules = ConfigFiles.exec(List.of(promtool, "check", "rules", ConfigFiles.ALERTS.toString()));
        assertThat(rules.exitCode()).as(rules.stdout()).isZero();
        assertThat(rules.stdout()).containsPattern("SUCCESS: \\d+ rules found");

        CommandResult unit = ConfigFiles.exec(List.of(promtool, "test", "rules", ConfigFiles.ALERTS_TEST.toString()));
        assertThat(unit.exitCode()).as(unit.stdout()).isZero();
        assertThat(unit.stdout()).contains("SUCCESS");
    }

    @Test
    void thePromqlNameReaderFindsMetricNamesOnly() {
        assertThat(promqlMetricNames("max by (status) (sum by (instance, status) (shop_orders{job=\"$job\","
                + "instance=~\"$instance\"}))")).containsExactly("shop_orders");
        assertThat(promqlMetricNames("sum by (query, result) (rate(bizmetrics_query_runs_total{result!=\"success\"}"
                + "[$__rate_interval])) * 60 / on (job) group_left (x) up offset 5m > bool 1e3"))
                .containsExactly("bizmetrics_query_runs_total", "up");
        assertThat(promqlMetricNames("time() - min by (job, service, region) (a_seconds) > 2 * 3600 and b:c"))
                .containsExactly("a_seconds", "b:c");
    }

    @Test
    void aScrapeOfTheSampleAppWithTheShippedConfigPassesPromtoolAndHasEveryMetricTheDashboardAndAlertsUse()
            throws Exception {
        try (HostProcess host = HostProcess.startShop(HostProcess.JAVA_17, List.of(ConfigFiles.agentFlag()),
                List.of("--rate", "2"))) {
            int port = host.awaitMetricsPort();
            Set<String> configured = ConfigFiles.configuredMetrics();
            // The pools are sampled every 5 s: the shop's pool may be found after the first sample.
            Map<String, Double> scrape = Scrape.until(port, m -> ConfigFiles.everyQuerySucceeded(m)
                    && ConfigFiles.exposedNames(m).containsAll(configured)
                    && ConfigFiles.exposedNames(m).contains("db_client_connection_count"), Duration.ofSeconds(30));
            String text = Scrape.text(port, "/metrics");
            assertThat(Promtool.checkMetrics(text)).isEqualTo("");
            assertHistogramsInOpenMetricsAndProtobuf(port);
            Set<String> exposed = ConfigFiles.exposedNames(scrape);

            Object dashboard = Json.parse(Files.readString(ConfigFiles.DASHBOARD, StandardCharsets.UTF_8));
            List<String> expressions = ConfigFiles.dashboardExpressions(dashboard);
            List<String> selectors = ConfigFiles.dashboardVariableSelectors(dashboard);
            assertThat(expressions).hasSizeGreaterThanOrEqualTo(10);
            assertThat(selectors).isNotEmpty();
            Set<String> used = new TreeSet<>();
            List<String> reading = new ArrayList<>(expressions);
            reading.addAll(selectors);
            for (String expression : reading) {
                Set<String> names = promqlMetricNames(expression);
                assertThat(names).as("metric names in " + expression).isNotEmpty();
                assertThat(exposed).as("the scrape has every metric of " + expression).containsAll(names);
                used.addAll(names);
                for (String name : names) {
                    if (name.endsWith("_bucket")) {
                        used.add(ConfigFiles.histogramName(name));
                    }
                }
            }
            // the dashboard shows every business metric of the shipped config
            assertThat(used).containsAll(configured);

            List<String> alerts = ConfigFiles.alertExpressions();
            assertThat(alerts).hasSizeGreaterThanOrEqualTo(5);
            Set<String> exposedOrUp = new TreeSet<>(exposed);
            exposedOrUp.add("up"); // Prometheus's own, per target
            for (String expression : alerts) {
                assertThat(exposedOrUp).as("the scrape has every metric of alert " + expression)
                        .containsAll(promqlMetricNames(expression));
            }
        }
    }

    /**
     * The sample's two histograms in the formats promtool cannot check: its {@code check metrics} (2.42) reads the
     * text format only and rejects OpenMetrics at its first {@code gaugehistogram} or {@code info} type, so the
     * OpenMetrics scrape is checked here for its shape (and parsed for real by Prometheus in PrometheusServerIT);
     * the protobuf scrape is decoded with client_java's generated classes.
     */
    private static void assertHistogramsInOpenMetricsAndProtobuf(int port) throws Exception {
        String openMetrics = Scrape.text(port, "/metrics", "application/openmetrics-text; version=1.0.0");
        assertThat(openMetrics).contains("# TYPE shop_order_amount gaugehistogram\n",
                        "# TYPE shop_payment_pending_age_seconds gaugehistogram\n",
                        "shop_payment_pending_age_seconds_bucket{le=\"+Inf\"} ")
                .containsPattern("shop_order_amount_bucket\\{region=\"[^\"]+\",le=\"\\+Inf\"} \\d+\n")
                .containsPattern("shop_order_amount_gcount\\{region=\"[^\"]+\"} \\d+\n")
                .containsPattern("shop_order_amount_gsum\\{region=\"[^\"]+\"} [0-9.eE+]+\n")
                .doesNotContain("shop_order_amount_count", "shop_order_amount_sum").endsWith("# EOF\n");

        double inf = Double.POSITIVE_INFINITY;
        Map<String, ProtobufScrape.Histogram> amounts = ProtobufScrape.histograms(port, "shop_order_amount", "region");
        assertThat(amounts).isNotEmpty();
        assertThat(amounts.keySet()).containsExactlyInAnyOrderElementsOf(family(Scrape.metrics(port),
                "shop_order_amount_count").keySet().stream().map(series -> series.replaceAll(".*region=\"([^\"]*)\".*",
                "$1")).toList());
        amounts.forEach((region, histogram) -> {
            assertThat(histogram.type().name()).as(region).isEqualTo("GAUGE_HISTOGRAM");
            assertThat(histogram.buckets().keySet()).as(region).containsExactly(25.0, 50.0, 100.0, 150.0, 200.0, inf);
            assertThat(new ArrayList<>(histogram.buckets().values())).as(region).isSorted();
            assertThat(histogram.buckets().get(inf)).as(region).isEqualTo(histogram.count()).isPositive();
            assertThat(histogram.sum()).as(region).isPositive();
        });
        ProtobufScrape.Histogram pending = ProtobufScrape.histograms(port, "shop_payment_pending_age_seconds", "")
                .get("");
        assertThat(pending).isNotNull();
        assertThat(pending.type().name()).isEqualTo("GAUGE_HISTOGRAM");
        assertThat(pending.buckets().keySet()).containsExactly(60.0, 300.0, 600.0, 1800.0, 3600.0, inf);
        assertThat(new ArrayList<>(pending.buckets().values())).isSorted();
    }

    @Test
    void theDashboardIsImportableWithItsDataSourceAsAVariable() throws Exception {
        Map<String, Object> dashboard = Json.object(Json.parse(
                Files.readString(ConfigFiles.DASHBOARD, StandardCharsets.UTF_8)));
        assertThat(dashboard).containsKeys("title", "uid", "panels", "templating", "schemaVersion");
        assertThat(dashboard.get("id")).as("no fixed id, so that import creates it").isNull();
        List<Object> variables = Json.array(Json.object(dashboard.get("templating")).get("list"));
        assertThat(variables).anySatisfy(v -> {
            assertThat(Json.object(v)).containsEntry("type", "datasource").containsEntry("name", "datasource")
                    .containsEntry("query", "prometheus");
        });
        // every data source reference in panels, targets and variables is the variable, never a fixed uid
        List<Object> references = Json.findAll(dashboard.get("panels"), "datasource");
        references.addAll(Json.findAll(variables, "datasource"));
        assertThat(references).hasSizeGreaterThan(10).allSatisfy(ref ->
                assertThat(Json.object(ref)).containsEntry("type", "prometheus").containsEntry("uid", "${datasource}"));
        // every panel but rows has at least one target with an expression
        List<Object> ids = new ArrayList<>();
        for (Object panel : Json.array(dashboard.get("panels"))) {
            Map<String, Object> p = Json.object(panel);
            ids.add(p.get("id"));
            if (!"row".equals(p.get("type"))) {
                assertThat(Json.array(p.get("targets"))).as((String) p.get("title")).isNotEmpty()
                        .allSatisfy(t -> assertThat((String) Json.object(t).get("expr")).isNotBlank());
            }
        }
        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
    }
}
