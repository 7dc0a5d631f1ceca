package dev.bizmetrics.agent.config;

import java.util.Locale;

/** What a metric's rows become in Prometheus. */
public enum MetricType {
    GAUGE(""), COUNTER("_total"), INFO("_info");

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
