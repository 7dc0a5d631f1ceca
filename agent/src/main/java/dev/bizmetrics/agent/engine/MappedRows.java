package dev.bizmetrics.agent.engine;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.util.List;
import java.util.Map;

/** What the rows of one run became. */
final class MappedRows {
    private final int rows;
    private final List<MetricSnapshot> snapshots;
    private final Map<String, Map<DropReason, Long>> dropped;

    MappedRows(int rows, List<MetricSnapshot> snapshots, Map<String, Map<DropReason, Long>> dropped) {
        this.rows = rows;
        this.snapshots = snapshots;
        this.dropped = dropped;
    }

    int rows() {
        return rows;
    }

    List<MetricSnapshot> snapshots() {
        return snapshots;
    }

    Map<String, Map<DropReason, Long>> dropped() {
        return dropped;
    }
}
