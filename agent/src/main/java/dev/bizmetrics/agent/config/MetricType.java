package dev.bizmetrics.agent.config;

import java.util.Locale;

/** What a metric's rows become in Prometheus. */
public enum MetricType {
    GAUGE(""), COUNTER("_total"), INFO("_info"),
    /** Exposed as {@code _bucket}, {@code _sum} and {@code _count}: a gauge histogram of the current result. */
    HISTOGRAM(""),
    /** Exposed as the quantiles and {@code _sum} and {@code _count}, when the query gives them. */
    SUMMARY("");

    private final String suffix;

    MetricType(String suffix) {
        this.suffix = suffix;
    }

    /** The suffix Prometheus exposition adds to the metric's base name. */
    public String suffix() {
        return suffix;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static MetricType parse(String value) {
        for (MetricType type : values()) {
            if (type.configName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return type;
            }
        }
        return null;
    }
}
