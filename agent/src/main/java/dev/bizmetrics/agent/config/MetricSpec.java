package dev.bizmetrics.agent.config;

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

    MetricSpec(String name, String baseName, String help, MetricType type, List<String> labels, String valueColumn,
               Map<String, String> constLabels, String shownConstLabels, int maxSeries) {
        this.name = name;
        this.baseName = baseName;
        this.help = help;
        this.type = type;
        this.labels = labels == null ? null : Collections.unmodifiableList(labels);
        this.valueColumn = valueColumn;
        this.constLabels = Collections.unmodifiableMap(constLabels);
        this.shownConstLabels = shownConstLabels;
        this.maxSeries = maxSeries;
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

    /** The series this metric makes of the rows, as text (its help aside). */
    String definition() {
        return name + '|' + type + '|' + labels + '|' + valueColumn + '|' + constLabels + '|' + maxSeries;
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
                && constLabels.equals(other.constLabels) && maxSeries == other.maxSeries;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
