package dev.bizmetrics.agent.engine;

import dev.bizmetrics.agent.config.MetricSpec;
import dev.bizmetrics.agent.config.MetricType;
import dev.bizmetrics.agent.config.QuerySpec;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a result set into metric snapshots, once per run on the query thread, so that a scrape only hands out
 * what is already built. Applies the row rules: NULL labels become "", NULL or non-numeric values, duplicate label
 * sets and rows past {@code max-series} are dropped and counted. A histogram of observations keeps one bucket array
 * per label set as the rows stream, never the rows; a pre-bucketed histogram and a summary keep their rows' bounds
 * or quantiles per label set until the result ends.
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
            builders.add(MetricBuilder.of(plan, meta));
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
    private abstract static class MetricBuilder {
        final ColumnPlan plan;
        final String[] names;
        final int valueType;
        final String valueTypeName;
        final Map<DropReason, Long> dropped = QueryResult.emptyDrops();
        /** The last row's timestamp in Unix milliseconds, set by {@link #timestamp}. */
        long rowTimestamp;

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

        static MetricBuilder of(ColumnPlan plan, ResultSetMetaData meta) throws SQLException {
            switch (plan.metric.type()) {
                case HISTOGRAM:
                    return plan.metric.buckets() != null ? new ObservedHistogram(plan, meta)
                            : new BucketedHistogram(plan, meta);
                case SUMMARY:
                    return new Summary(plan, meta);
                default:
                    return new Points(plan, meta);
            }
        }

        abstract void addRow(ResultSet rs) throws SQLException;

        abstract MetricSnapshot build();

        /** The value column of this row, or null when the row was dropped (and counted). */
        final Double value(ResultSet rs) throws SQLException {
            return number(rs, plan.valueColumn, valueType, valueTypeName);
        }

        final Double number(ResultSet rs, int column, int type, String typeName) throws SQLException {
            try {
                Double value = ValueReader.read(rs, column, type, typeName);
                if (value == null) {
                    drop(DropReason.NULL_VALUE);
                }
                return value;
            } catch (ValueReader.NotNumeric e) {
                drop(DropReason.BAD_VALUE);
                return null;
            }
        }

        /** The row's label values, const labels included, or null when the row was dropped (and counted). */
        final String[] labelValues(ResultSet rs) throws SQLException {
            String[] labelValues = new String[names.length];
            for (int i = 0; i < plan.labelColumns.length; i++) {
                String text = rs.getString(plan.labelColumns[i]);
                if (text != null && text.length() > MAX_LABEL_LENGTH) {
                    drop(DropReason.LABEL_TOO_LONG);
                    return null;
                }
                labelValues[i] = text == null ? "" : text;
            }
            int i = plan.labelColumns.length;
            for (String constValue : plan.metric.constLabels().values()) {
                labelValues[i++] = constValue;
            }
            return labelValues;
        }

        /**
         * Reads the row's timestamp into {@link #rowTimestamp} (0 when the metric has none); false when it is NULL:
         * the row is dropped and counted as {@code null_value}.
         */
        final boolean timestamp(ResultSet rs) throws SQLException {
            if (plan.timestampColumn == 0) {
                rowTimestamp = 0;
                return true;
            }
            Long millis = ValueReader.readMillis(rs, plan.timestampColumn);
            if (millis == null) {
                drop(DropReason.NULL_VALUE);
                return false;
            }
            rowTimestamp = millis;
            return true;
        }

        final void drop(DropReason reason) {
            drop(reason, 1);
        }

        final void drop(DropReason reason, long rows) {
            Long before = dropped.get(reason);
            dropped.put(reason, before == null ? rows : before + rows);
        }
    }

    /** Gauges, counters and info metrics: one row, one data point. */
    private static final class Points extends MetricBuilder {
        final Set<List<String>> seen = new HashSet<List<String>>();
        final List<Labels> labels = new ArrayList<Labels>();
        final List<Double> values = new ArrayList<Double>();
        final List<Long> timestamps = new ArrayList<Long>();

        Points(ColumnPlan plan, ResultSetMetaData meta) throws SQLException {
            super(plan, meta);
        }

        @Override
        void addRow(ResultSet rs) throws SQLException {
            Double value = 1.0;
            if (plan.valueColumn != 0) {
                value = value(rs);
                if (value == null) {
                    return;
                }
                if (plan.metric.type() == MetricType.COUNTER && !(value >= 0)) {
                    drop(DropReason.BAD_VALUE); // a counter cannot be negative or NaN
                    return;
                }
            }
            String[] labelValues = labelValues(rs);
            if (labelValues == null || !timestamp(rs)) {
                return;
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
            if (plan.timestampColumn != 0) {
                timestamps.add(rowTimestamp);
            }
        }

        private long timestampOf(int i) {
            return plan.timestampColumn == 0 ? 0 : timestamps.get(i);
        }

        @Override
        MetricSnapshot build() {
            MetricSpec metric = plan.metric;
            switch (metric.type()) {
                case COUNTER: {
                    CounterSnapshot.Builder builder = CounterSnapshot.builder().name(metric.baseName()).help(metric.help());
                    for (int i = 0; i < labels.size(); i++) {
                        builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .labels(labels.get(i)).value(values.get(i)).scrapeTimestampMillis(timestampOf(i))
                                .build());
                    }
                    return builder.build();
                }
                case INFO: {
                    InfoSnapshot.Builder builder = InfoSnapshot.builder().name(metric.baseName()).help(metric.help());
                    for (int i = 0; i < labels.size(); i++) {
                        builder.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(labels.get(i))
                                .scrapeTimestampMillis(timestampOf(i)).build());
                    }
                    return builder.build();
                }
                default: {
                    GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(metric.baseName()).help(metric.help());
                    for (int i = 0; i < labels.size(); i++) {
                        builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                .labels(labels.get(i)).value(values.get(i)).scrapeTimestampMillis(timestampOf(i))
                                .build());
                    }
                    return builder.build();
                }
            }
        }
    }

    /**
     * A histogram of observations: each row is counted into its label set's buckets as it streams by, so memory is
     * one bucket array per label set whatever the number of rows. A series' timestamp is its latest row's.
     */
    private static final class ObservedHistogram extends MetricBuilder {
        final double[] bounds;
        final Map<List<String>, Observed> series = new LinkedHashMap<List<String>, Observed>();

        static final class Observed {
            final Labels labels;
            final long[] counts;
            double sum;
            long timestamp;

            Observed(Labels labels, int buckets) {
                this.labels = labels;
                this.counts = new long[buckets];
            }
        }

        ObservedHistogram(ColumnPlan plan, ResultSetMetaData meta) throws SQLException {
            super(plan, meta);
            double[] configured = plan.metric.buckets();
            bounds = Arrays.copyOf(configured, configured.length + 1);
            bounds[configured.length] = Double.POSITIVE_INFINITY;
        }

        @Override
        void addRow(ResultSet rs) throws SQLException {
            Double value = value(rs);
            if (value == null) {
                return;
            }
            if (value.isNaN()) {
                drop(DropReason.BAD_VALUE); // falls in no bucket
                return;
            }
            String[] labelValues = labelValues(rs);
            if (labelValues == null || !timestamp(rs)) {
                return;
            }
            List<String> key = Arrays.asList(labelValues);
            Observed observed = series.get(key);
            if (observed == null) {
                if (series.size() >= plan.metric.maxSeries()) {
                    drop(DropReason.MAX_SERIES);
                    return;
                }
                observed = new Observed(Labels.of(names, labelValues), bounds.length);
                series.put(key, observed);
            }
            int at = Arrays.binarySearch(bounds, value); // a bucket holds what is <= its bound
            observed.counts[at >= 0 ? at : -at - 1]++;
            observed.sum += value;
            observed.timestamp = Math.max(observed.timestamp, rowTimestamp);
        }

        @Override
        MetricSnapshot build() {
            HistogramSnapshot.Builder builder = HistogramSnapshot.builder().name(plan.metric.baseName())
                    .help(plan.metric.help()).gaugeHistogram(true);
            for (Observed observed : series.values()) {
                builder.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(observed.labels)
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, observed.counts))
                        .sum(observed.sum).scrapeTimestampMillis(observed.timestamp).build());
            }
            return builder.build();
        }
    }

    /**
     * A histogram whose rows hold cumulative counts per upper bound. A series whose counts are not whole numbers
     * that never decrease with the bound, that has a bound twice, a bad bound or no +Inf bucket, is dropped: its
     * rows are counted as {@code bad_value} (rows with a NULL count or timestamp as {@code null_value}).
     */
    private static final class BucketedHistogram extends MetricBuilder {
        final int boundType;
        final String boundTypeName;
        final int sumType;
        final String sumTypeName;
        final Map<List<String>, Bucketed> series = new LinkedHashMap<List<String>, Bucketed>();

        static final class Bucketed {
            final Labels labels;
            final List<double[]> buckets = new ArrayList<double[]>();
            int rows;
            int nullRows;
            boolean bad;
            double sum = Double.NaN;
            long timestamp;

            Bucketed(Labels labels) {
                this.labels = labels;
            }
        }

        BucketedHistogram(ColumnPlan plan, ResultSetMetaData meta) throws SQLException {
            super(plan, meta);
            boundType = meta.getColumnType(plan.bucketBoundColumn);
            boundTypeName = meta.getColumnTypeName(plan.bucketBoundColumn);
            sumType = plan.sumColumn == 0 ? 0 : meta.getColumnType(plan.sumColumn);
            sumTypeName = plan.sumColumn == 0 ? "" : meta.getColumnTypeName(plan.sumColumn);
        }

        @Override
        void addRow(ResultSet rs) throws SQLException {
            String[] labelValues = labelValues(rs);
            if (labelValues == null) {
                return;
            }
            List<String> key = Arrays.asList(labelValues);
            Bucketed bucketed = series.get(key);
            if (bucketed == null) {
                if (series.size() >= plan.metric.maxSeries()) {
                    drop(DropReason.MAX_SERIES);
                    return;
                }
                bucketed = new Bucketed(Labels.of(names, labelValues));
                series.put(key, bucketed);
            }
            bucketed.rows++;
            if (bucketed.bad) {
                return;
            }
            Double count;
            double bound;
            try {
                count = ValueReader.read(rs, plan.valueColumn, valueType, valueTypeName);
                bound = bound(rs);
                if (count != null && plan.sumColumn != 0 && Double.isNaN(bucketed.sum)) {
                    Double sum = ValueReader.read(rs, plan.sumColumn, sumType, sumTypeName);
                    bucketed.sum = sum == null ? Double.NaN : sum;
                }
            } catch (ValueReader.NotNumeric e) {
                bucketed.bad = true;
                return;
            }
            Long millis = plan.timestampColumn == 0 ? Long.valueOf(0) : ValueReader.readMillis(rs, plan.timestampColumn);
            if (count == null || millis == null) {
                bucketed.nullRows++;
                bucketed.bad = true;
                return;
            }
            if (Double.isNaN(bound) || !(count >= 0) || count != Math.rint(count) || count > Long.MAX_VALUE) {
                bucketed.bad = true;
                return;
            }
            bucketed.buckets.add(new double[] {bound, count});
            bucketed.timestamp = Math.max(bucketed.timestamp, millis);
        }

        /** The row's upper bound: NULL or the text +Inf is infinity; a text bound is read as a number. */
        private double bound(ResultSet rs) throws SQLException, ValueReader.NotNumeric {
            if (ValueReader.isNumeric(boundType)) {
                Double bound = ValueReader.read(rs, plan.bucketBoundColumn, boundType, boundTypeName);
                return bound == null ? Double.POSITIVE_INFINITY : bound;
            }
            String text = rs.getString(plan.bucketBoundColumn);
            if (text == null || text.trim().equalsIgnoreCase("+Inf") || text.trim().equalsIgnoreCase("Inf")) {
                return Double.POSITIVE_INFINITY;
            }
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new ValueReader.NotNumeric(boundTypeName);
            }
        }

        @Override
        MetricSnapshot build() {
            HistogramSnapshot.Builder builder = HistogramSnapshot.builder().name(plan.metric.baseName())
                    .help(plan.metric.help()).gaugeHistogram(true);
            for (Bucketed bucketed : series.values()) {
                ClassicHistogramBuckets buckets = bucketed.bad ? null : buckets(bucketed.buckets);
                if (buckets == null) {
                    drop(DropReason.NULL_VALUE, bucketed.nullRows);
                    drop(DropReason.BAD_VALUE, bucketed.rows - bucketed.nullRows);
                    continue;
                }
                builder.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(bucketed.labels)
                        .classicHistogramBuckets(buckets).sum(bucketed.sum)
                        .scrapeTimestampMillis(bucketed.timestamp).build());
            }
            for (Map.Entry<DropReason, Long> entry : new ArrayList<Map.Entry<DropReason, Long>>(dropped.entrySet())) {
                if (entry.getValue() == 0) {
                    dropped.remove(entry.getKey());
                }
            }
            return builder.build();
        }

        /** Cumulative counts by bound as client_java's per-bucket counts, or null when they make no histogram. */
        private static ClassicHistogramBuckets buckets(List<double[]> rows) {
            Collections.sort(rows, new Comparator<double[]>() {
                @Override
                public int compare(double[] a, double[] b) {
                    return Double.compare(a[0], b[0]);
                }
            });
            int n = rows.size();
            if (n == 0 || rows.get(n - 1)[0] != Double.POSITIVE_INFINITY) {
                return null; // without +Inf the total count is unknown
            }
            double[] bounds = new double[n];
            long[] counts = new long[n];
            long previous = 0;
            for (int i = 0; i < n; i++) {
                bounds[i] = rows.get(i)[0];
                long cumulative = (long) rows.get(i)[1];
                if (i > 0 && bounds[i] == bounds[i - 1] || cumulative < previous) {
                    return null;
                }
                counts[i] = cumulative - previous;
                previous = cumulative;
            }
            return ClassicHistogramBuckets.of(bounds, counts);
        }
    }

    /**
     * A summary: each row is one quantile of its label set, with optional sum and count columns (read from the
     * series' first row that has them). A quantile outside 0..1 is a bad value, one given twice a duplicate.
     */
    private static final class Summary extends MetricBuilder {
        final int quantileType;
        final String quantileTypeName;
        final int sumType;
        final String sumTypeName;
        final int countType;
        final String countTypeName;
        final Map<List<String>, Summarized> series = new LinkedHashMap<List<String>, Summarized>();

        static final class Summarized {
            final Labels labels;
            final Map<Double, Double> quantiles = new HashMap<Double, Double>();
            double sum = Double.NaN;
            long count = -1;
            long timestamp;

            Summarized(Labels labels) {
                this.labels = labels;
            }
        }

        Summary(ColumnPlan plan, ResultSetMetaData meta) throws SQLException {
            super(plan, meta);
            quantileType = meta.getColumnType(plan.quantileColumn);
            quantileTypeName = meta.getColumnTypeName(plan.quantileColumn);
            sumType = plan.sumColumn == 0 ? 0 : meta.getColumnType(plan.sumColumn);
            sumTypeName = plan.sumColumn == 0 ? "" : meta.getColumnTypeName(plan.sumColumn);
            countType = plan.countColumn == 0 ? 0 : meta.getColumnType(plan.countColumn);
            countTypeName = plan.countColumn == 0 ? "" : meta.getColumnTypeName(plan.countColumn);
        }

        @Override
        void addRow(ResultSet rs) throws SQLException {
            Double value = value(rs);
            if (value == null) {
                return;
            }
            Double quantile = number(rs, plan.quantileColumn, quantileType, quantileTypeName);
            if (quantile == null) {
                return;
            }
            if (!(quantile >= 0 && quantile <= 1)) {
                drop(DropReason.BAD_VALUE);
                return;
            }
            String[] labelValues = labelValues(rs);
            if (labelValues == null || !timestamp(rs)) {
                return;
            }
            List<String> key = Arrays.asList(labelValues);
            Summarized summarized = series.get(key);
            if (summarized == null) {
                if (series.size() >= plan.metric.maxSeries()) {
                    drop(DropReason.MAX_SERIES);
                    return;
                }
                summarized = new Summarized(Labels.of(names, labelValues));
                series.put(key, summarized);
            }
            if (summarized.quantiles.containsKey(quantile)) {
                drop(DropReason.DUPLICATE);
                return;
            }
            summarized.quantiles.put(quantile, value);
            summarized.timestamp = Math.max(summarized.timestamp, rowTimestamp);
            try {
                if (plan.sumColumn != 0 && Double.isNaN(summarized.sum)) {
                    Double sum = ValueReader.read(rs, plan.sumColumn, sumType, sumTypeName);
                    summarized.sum = sum == null ? Double.NaN : sum;
                }
                if (plan.countColumn != 0 && summarized.count < 0) {
                    Double count = ValueReader.read(rs, plan.countColumn, countType, countTypeName);
                    if (count != null && count >= 0 && count == Math.rint(count) && count <= Long.MAX_VALUE) {
                        summarized.count = count.longValue();
                    }
                }
            } catch (ValueReader.NotNumeric e) {
                // a sum or count that is no number is left out; the quantiles stand
            }
        }

        @Override
        MetricSnapshot build() {
            SummarySnapshot.Builder builder = SummarySnapshot.builder().name(plan.metric.baseName())
                    .help(plan.metric.help());
            for (Summarized summarized : series.values()) {
                List<Quantile> quantiles = new ArrayList<Quantile>();
                List<Double> keys = new ArrayList<Double>(summarized.quantiles.keySet());
                Collections.sort(keys);
                for (Double q : keys) {
                    quantiles.add(new Quantile(q, summarized.quantiles.get(q)));
                }
                SummarySnapshot.SummaryDataPointSnapshot.Builder point = SummarySnapshot.SummaryDataPointSnapshot
                        .builder().labels(summarized.labels).quantiles(Quantiles.of(quantiles))
                        .scrapeTimestampMillis(summarized.timestamp);
                if (!Double.isNaN(summarized.sum)) {
                    point.sum(summarized.sum);
                }
                if (summarized.count >= 0) {
                    point.count(summarized.count);
                }
                builder.dataPoint(point.build());
            }
            return builder.build();
        }
    }
}
