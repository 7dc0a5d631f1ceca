package dev.bizmetrics.agent.config;

/** One configuration key with its value and where the value came from, e.g. {@code bizmetrics.properties:12}. */
public final class Setting {
    private final String key;
    private final String value;
    private final String origin;

    public Setting(String key, String value, String origin) {
        this.key = key;
        this.value = value;
        this.origin = origin;
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }

    public String origin() {
        return origin;
    }

    Setting withValue(String newValue) {
        return new Setting(key, newValue, origin);
    }
}
