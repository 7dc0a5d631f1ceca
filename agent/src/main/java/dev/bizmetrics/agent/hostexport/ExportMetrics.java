package dev.bizmetrics.agent.hostexport;

import dev.bizmetrics.agent.state.ExportStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The self-metrics of {@code export.host-registry=auto}, on the agent's registry (and so on both endpoints): how many
 * of the application's registries get the metrics, by kind; the names left out for a clash; the errors swallowed.
 * None while the export is off.
 */
public final class ExportMetrics implements MultiCollector {

    private final HostExport export;

    public ExportMetrics(HostExport export) {
        this.export = export;
    }

    @Override
    public MetricSnapshots collect() {
        ExportStatus status = export.status();
        List<MetricSnapshot> result = new ArrayList<MetricSnapshot>();
        if (!status.isOn()) {
            return new MetricSnapshots(result);
        }
        GaugeSnapshot.Builder registries = GaugeSnapshot.builder().name("bizmetrics_host_registries")
                .help("Registries of the application the agent publishes its metrics into, by kind");
        for (Map.Entry<String, Integer> entry : status.registries().entrySet()) {
            registries.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("kind", entry.getKey()))
                    .value(entry.getValue()).build());
        }
        GaugeSnapshot.Builder skipped = GaugeSnapshot.builder().name("bizmetrics_host_registry_skipped")
                .help("1 for each metric of the agent's left out of the application's registry, which has its own "
                        + "metric of that name");
        for (String name : status.skipped()) {
            skipped.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("metric", name))
                    .value(1).build());
        }
        result.add(registries.build());
        result.add(skipped.build());
        result.add(CounterSnapshot.builder().name("bizmetrics_host_registry_errors")
                .help("Errors swallowed while the application scraped the agent's metrics from its own registry")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(status.errors()).build()).build());
        return new MetricSnapshots(result);
    }
}
