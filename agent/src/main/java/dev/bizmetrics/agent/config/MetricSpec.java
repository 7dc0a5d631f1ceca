package dev.bizmetrics.agent.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** One metric: which of its query's columns are labels and which is the value. */
public final class MetricSpec {
    private final String name;
    private final String baseName;
    private final String help;
    private final MetricType type;
    private final List<String> labels;
    private final String valueColumn;
    private final Map<String, String> constLabels;
    private final String shownConstLabels;
    private final int maxSeries;
    private final Columns columns;

    /**
     * The columns of a histogram or summary and of a sample timestamp (lower case, each null when not set), and a
     * histogram's bucket upper bounds (null unless it counts observations).
     */
    static final class Columns {
        static final Columns NONE = new Columns(null, null, null, null, null, null);

        final double[] buckets;
        final String bucketBound;
        final String quantile;
        final String sum;
        final String count;
        final String timestamp;

        Columns(double[] buckets, String bucketBound, String quantile, String sum, String count, String timestamp) {
            this.buckets = buckets == null ? null : buckets.clone();
            this.bucketBound = bucketBound;
            this.quantile = quantile;
            this.sum = sum;
            this.count = count;
            this.timestamp = timestamp;
        }

        /** "" when none is set, so that the definition of a plain metric reads as before. */
        String definition() {
            if (buckets == null && bucketBound == null && quantile == null && sum == null && count == null
                    && timestamp == null) {
                return "";
            }
            return "|" + (buckets == null ? null : Arrays.toString(buckets)) + '|' + bucketBound + '|' + quantile
                    + '|' + sum + '|' + count + '|' + timestamp;
        }
    }

    MetricSpec(String name, String baseName, String help, MetricType type, List<String> labels, String valueColumn,
               Map<String, String> constLabels, String shownConstLabels, int maxSeries) {
        this(name, baseName, help, type, labels, valueColumn, constLabels, shownConstLabels, maxSeries, Columns.NONE);
    }

    MetricSpec(String name, String baseName, String help, MetricType type, List<String> labels, String valueColumn,
               Map<String, String> constLabels, String shownConstLabels, int maxSeries, Columns columns) {
        this.name = name;
        this.baseName = baseName;
        this.help = help;
        this.type = type;
        this.labels = labels == null ? null : Collections.unmodifiableList(labels);
        this.valueColumn = valueColumn;
        this.constLabels = Collections.unmodifiableMap(constLabels);
        this.shownConstLabels = shownConstLabels;
        this.maxSeries = maxSeries;
        this.columns = columns;
    }

    /** The name as configured, e.g. {@code shop_orders_total}. */
    public String name() {
        return name;
    }

    /** The name without the suffix its type adds in exposition, e.g. {@code shop_orders} for a counter. */
    public String baseName() {
        return baseName;
    }

    public String help() {
        return help;
    }

    public MetricType type() {
        return type;
    }

    /** Label columns (lower case), or null for the default: every column that is no value column of the query. */
    public List<String> labels() {
        return labels;
    }

    /** The value column (lower case), or null for the default: the one numeric column that is not a label. */
    public String valueColumn() {
        return valueColumn;
    }

    public Map<String, String> constLabels() {
        return constLabels;
    }

    /** {@code const-labels} as written, with its {@code ${NAME}} placeholders: what pages and commands show. */
    public String shownConstLabels() {
        return shownConstLabels;
    }

    public int maxSeries() {
        return maxSeries;
    }

    /**
     * The upper bounds of a histogram that counts observations, ascending, without the implicit +Inf; null for a
     * pre-bucketed histogram and any other type.
     */
    public double[] buckets() {
        return columns.buckets == null ? null : columns.buckets.clone();
    }

    /** A pre-bucketed histogram's column of bucket upper bounds (lower case), or null. */
    public String bucketBoundColumn() {
        return columns.bucketBound;
    }

    /** A summary's column of quantiles (0..1), or null. */
    public String quantileColumn() {
        return columns.quantile;
    }

    /** A pre-bucketed histogram's or a summary's column of the sum of the observations, or null. */
    public String sumColumn() {
        return columns.sum;
    }

    /** A summary's column of the count of observations, or null. */
    public String countColumn() {
        return columns.count;
    }

    /** The column whose DATE/TIMESTAMP becomes the samples' timestamp, or null: the samples have none. */
    public String timestampColumn() {
        return columns.timestamp;
    }

    /** The series this metric makes of the rows, as text (its help aside). */
    String definition() {
        return name + '|' + type + '|' + labels + '|' + valueColumn + '|' + constLabels + '|' + maxSeries + columns.definition();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MetricSpec)) {
            return false;
        }
        MetricSpec other = (MetricSpec) o;
        return name.equals(other.name) && help.equals(other.help) && type == other.type
                && (labels == null ? other.labels == null : labels.equals(other.labels))
                && (valueColumn == null ? other.valueColumn == null : valueColumn.equals(other.valueColumn))
                && constLabels.equals(other.constLabels) && maxSeries == other.maxSeries
                && columns.definition().equals(other.columns.definition());
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
