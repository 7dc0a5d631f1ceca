package dev.bizmetrics.agent.engine;

import dev.bizmetrics.agent.config.LabelName;
import dev.bizmetrics.agent.config.MetricSpec;
import dev.bizmetrics.agent.config.MetricType;
import dev.bizmetrics.agent.config.QuerySpec;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which result columns are a metric's labels and which its value, resolved against the columns a run returned.
 * Defaults: the value is the one numeric column that is not a label; the labels are every column that is not the
 * value column of any metric the query feeds.
 */
final class ColumnPlan {

    /** A problem with the query's columns, reported as the run's error. */
    static final class Mismatch extends Exception {
        Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    final MetricSpec metric;
    /** 1-based column indexes of the labels, in label order. */
    final int[] labelColumns;
    final String[] labelNames;
    /** 1-based column index of the value, or 0 for an info metric. */
    final int valueColumn;
    /** 1-based column indexes of a histogram's bucket bound, a summary's quantile, their sum and count, and the
     * sample timestamp; each 0 when not configured. */
    final int bucketBoundColumn;
    final int quantileColumn;
    final int sumColumn;
    final int countColumn;
    final int timestampColumn;

    private ColumnPlan(MetricSpec metric, int[] labelColumns, String[] labelNames, int valueColumn, int[] extra) {
        this.metric = metric;
        this.labelColumns = labelColumns;
        this.labelNames = labelNames;
        this.valueColumn = valueColumn;
        this.bucketBoundColumn = extra[0];
        this.quantileColumn = extra[1];
        this.sumColumn = extra[2];
        this.countColumn = extra[3];
        this.timestampColumn = extra[4];
    }

    /** The keys naming a column besides labels and value, in the order of {@link #columns(MetricSpec)}. */
    private static final String[] EXTRA_KEYS = {"bucket-bound", "quantile", "sum", "count", "timestamp"};

    private static String[] columns(MetricSpec metric) {
        return new String[] {metric.bucketBoundColumn(), metric.quantileColumn(), metric.sumColumn(),
                metric.countColumn(), metric.timestampColumn()};
    }

    static List<ColumnPlan> resolve(QuerySpec query, ResultSetMetaData meta) throws SQLException, Mismatch {
        int count = meta.getColumnCount();
        List<String> columns = new ArrayList<String>(count);
        List<Integer> types = new ArrayList<Integer>(count);
        for (int i = 1; i <= count; i++) {
            columns.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
            types.add(meta.getColumnType(i));
        }
        Set<String> explicitValues = new HashSet<String>();
        for (MetricSpec metric : query.metrics()) {
            if (metric.valueColumn() != null) {
                explicitValues.add(metric.valueColumn());
            }
            for (String column : columns(metric)) {
                if (column != null) {
                    explicitValues.add(column);
                }
            }
        }
        List<ColumnPlan> plans = new ArrayList<ColumnPlan>();
        for (MetricSpec metric : query.metrics()) {
            plans.add(plan(metric, columns, types, explicitValues));
        }
        return plans;
    }

    private static ColumnPlan plan(MetricSpec metric, List<String> columns, List<Integer> types,
                                   Set<String> explicitValues) throws Mismatch {
        String name = metric.name();
        int valueColumn = 0;
        if (metric.type() != MetricType.INFO) {
            String value = metric.valueColumn();
            if (value == null) {
                List<String> numeric = new ArrayList<String>();
                for (int i = 0; i < columns.size(); i++) {
                    boolean isLabel = metric.labels() != null && metric.labels().contains(columns.get(i));
                    if (!isLabel && ValueReader.isNumeric(types.get(i))) {
                        numeric.add(columns.get(i));
                    }
                }
                if (numeric.size() != 1) {
                    throw new Mismatch("metric " + name + ": " + (numeric.isEmpty()
                            ? "the query returns no numeric column to use as value (columns " + columns + ")"
                            : "the query returns several numeric columns " + numeric)
                            + "; set metric." + name + ".value");
                }
                value = numeric.get(0);
            }
            valueColumn = columns.indexOf(value) + 1;
            if (valueColumn == 0) {
                throw new Mismatch("metric " + name + ": value column '" + value + "' is not among the query's columns "
                        + columns + "; fix metric." + name + ".value or alias the column");
            }
            explicitValues = new HashSet<String>(explicitValues);
            explicitValues.add(value);
        }
        String[] extraNames = columns(metric);
        int[] extra = new int[extraNames.length];
        for (int i = 0; i < extraNames.length; i++) {
            if (extraNames[i] == null) {
                continue;
            }
            extra[i] = columns.indexOf(extraNames[i]) + 1;
            if (extra[i] == 0) {
                throw new Mismatch("metric " + name + ": " + EXTRA_KEYS[i] + " column '" + extraNames[i] + "' is not "
                        + "among the query's columns " + columns + "; fix metric." + name + "." + EXTRA_KEYS[i]
                        + " or alias the column");
            }
        }
        int timestamp = extra[4];
        if (timestamp != 0 && !ValueReader.isTemporal(types.get(timestamp - 1))) {
            throw new Mismatch("metric " + name + ": timestamp column '" + extraNames[4] + "' is not a DATE or "
                    + "TIMESTAMP; fix metric." + name + ".timestamp or CAST the column AS TIMESTAMP");
        }
        List<String> labels = metric.labels();
        if (labels == null) {
            labels = new ArrayList<String>();
            for (String column : columns) {
                if (column.equals(metric.timestampColumn())) {
                    continue; // not a label even of an info metric
                }
                if (!explicitValues.contains(column) || metric.type() == MetricType.INFO) {
                    labels.add(column);
                }
            }
        }
        int[] labelColumns = new int[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            if (labels.indexOf(labels.get(i)) != i) {
                throw new Mismatch("metric " + name + ": the query returns several columns named '" + labels.get(i)
                        + "' (columns " + columns + "); alias them apart in the SQL");
            }
            labelColumns[i] = columns.indexOf(labels.get(i)) + 1;
            if (labelColumns[i] == 0) {
                throw new Mismatch("metric " + name + ": label column '" + labels.get(i) + "' is not among the query's "
                        + "columns " + columns + "; fix metric." + name + ".labels or alias the column");
            }
            if (!LabelName.isValid(labels.get(i))) {
                throw new Mismatch("metric " + name + ": column '" + labels.get(i) + "' is not a valid label name; "
                        + "alias it in the SQL, e.g. ... AS " + sanitize(labels.get(i)));
            }
            if (metric.constLabels().containsKey(labels.get(i))) {
                throw new Mismatch("metric " + name + ": column '" + labels.get(i) + "' is also a const label; "
                        + "remove one");
            }
        }
        return new ColumnPlan(metric, labelColumns, labels.toArray(new String[0]), valueColumn, extra);
    }

    private static String sanitize(String column) {
        String clean = column.replaceAll("[^a-z0-9_]+", "_").replaceAll("^_+|_+$", "");
        return clean.isEmpty() || Character.isDigit(clean.charAt(0)) ? "c_" + clean : clean;
    }
}
