package dev.bizmetrics.agent.engine;

import dev.bizmetrics.agent.config.MetricSpec;
import dev.bizmetrics.agent.config.MetricType;
import dev.bizmetrics.agent.config.QuerySpec;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a result set into metric snapshots, once per run on the query thread, so that a scrape only hands out
 * what is already built. Applies the row rules: NULL labels become "", NULL or non-numeric values, duplicate label
 * sets and rows past {@code max-series} are dropped and counted.
 */
final class RowMapper {

    /** Longer label values are dropped, not truncated: a cut value could pass for another series. */
    static final int MAX_LABEL_LENGTH = 4096;

    private RowMapper() {
    }

    static MappedRows map(QuerySpec query, ResultSet rs) throws SQLException, ColumnPlan.Mismatch {
        ResultSetMetaData meta = rs.getMetaData();
        List<ColumnPlan> plans = ColumnPlan.resolve(query, meta);
        List<MetricBuilder> builders = new ArrayList<MetricBuilder>(plans.size());
        for (ColumnPlan plan : plans) {
            builders.add(new MetricBuilder(plan, meta));
        }
        int rows = 0;
        while (rs.next()) {
            rows++;
            for (MetricBuilder builder : builders) {
                builder.addRow(rs);
            }
        }
        List<MetricSnapshot> snapshots = new ArrayList<MetricSnapshot>(builders.size());
        Map<String, Map<DropReason, Long>> dropped = new LinkedHashMap<String, Map<DropReason, Long>>();
        for (MetricBuilder builder : builders) {
            snapshots.add(builder.build());
            if (!builder.dropped.isEmpty()) {
                dropped.put(builder.plan.metric.name(), builder.dropped);
            }
        }
        return new MappedRows(rows, snapshots, dropped);
    }

    /** Accumulates one metric's data points. */
    private static final class MetricBuilder {
        final ColumnPlan plan;
        final String[] names;
        final int valueType;
        final String valueTypeName;
        final Set<List<String>> seen = new HashSet<List<String>>();
        final List<Labels> labels = new ArrayList<Labels>();
        final List<Double> values = new ArrayList<Double>();
        final Map<DropReason, Long> dropped = QueryResult.emptyDrops();

        MetricBuilder(ColumnPlan plan, ResultSetMetaData meta) throws SQLException {
            this.plan = plan;
            Map<String, String> constLabels = plan.metric.constLabels();
            names = Arrays.copyOf(plan.labelNames, plan.labelNames.length + constLabels.size());
            int i = plan.labelNames.length;
            for (String name : constLabels.keySet()) {
                names[i++] = name;
            }
            valueType = plan.valueColumn == 0 ? 0 : meta.getColumnType(plan.valueColumn);
            valueTypeName = plan.valueColumn == 0 ? "" : meta.getColumnTypeName(plan.valueColumn);
        }

        void addRow(ResultSet rs) throws SQLException {
            Double value = 1.0;
            if (plan.valueColumn != 0) {
                try {
                    value = ValueReader.read(rs, plan.valueColumn, valueType, valueTypeName);
                } catch (ValueReader.NotNumeric e) {
                    drop(DropReason.BAD_VALUE);
                    return;
                }
                if (value == null) {
                    drop(DropReason.NULL_VALUE);
                    return;
                }
                if (plan.metric.type() == MetricType.COUNTER && !(value >= 0)) {
                    drop(DropReason.BAD_VALUE); // a counter cannot be negative or NaN
                    return;
                }
            }
            String[] labelValues = new String[names.length];
            for (int i = 0; i < plan.labelColumns.length; i++) {
                String text = rs.getString(plan.labelColumns[i]);
                if (text != null && text.length() > MAX_LABEL_LENGTH) {
                    drop(DropReason.LABEL_TOO_LONG);
                    return;
                }
                labelValues[i] = text == null ? "" : text;
            }
            int i = plan.labelColumns.length;
            for (String constValue : plan.metric.constLabels().values()) {
                labelValues[i++] = constValue;
            }
            List<String> key = Arrays.asList(labelValues);
            if (seen.contains(key)) {
                drop(DropReason.DUPLICATE);
                return;
            }
            if (labels.size() >= plan.metric.maxSeries()) {
                drop(DropReason.MAX_SERIES); // not remembered: what is kept stays bounded by max-series
                return;
            }
            seen.add(key);
            labels.add(Labels.of(names, labelValues));
            values.add(value);
        }

        private void drop(DropReason reason) {
            Long before = dropped.get(reason);
            dropped.put(reason, before == null ? 1L : before + 1);
        }

        MetricSnapshot build() {
            MetricSpec metric = plan.metric;
            switch (metric.type()) {
                case COUNTER: {
                    CounterSnapshot.Builder builder = CounterSnapshot.builder().name(metric.baseName()).help(metric.help());
                    for (int i = 0; i < labels.size(); i++) {
                        builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .labels(labels.get(i)).value(values.get(i)).build());
                    }
                    return builder.build();
                }
                case INFO: {
                    InfoSnapshot.Builder builder = InfoSnapshot.builder().name(metric.baseName()).help(metric.help());
                    for (Labels point : labels) {
                        builder.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(point).build());
                    }
                    return builder.build();
                }
                default: {
                    GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(metric.baseName()).help(metric.help());
                    for (int i = 0; i < labels.size(); i++) {
                        builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                .labels(labels.get(i)).value(values.get(i)).build());
                    }
                    return builder.build();
                }
            }
        }
    }
}
