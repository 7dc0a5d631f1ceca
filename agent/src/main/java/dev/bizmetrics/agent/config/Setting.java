package dev.bizmetrics.agent.config;

import java.util.Map;

/**
 * One configuration key with its value and where the value came from, e.g. {@code bizmetrics.properties:12}. A value
 * with {@code ${NAME}} placeholders keeps the text as written too: messages and pages show that text, never what a
 * placeholder resolved to, since a placeholder may hold a secret even in a key that is not meant for one.
 */
public final class Setting {
    private final String key;
    private final String value;
    private final String origin;
    /** The value as written, when placeholders were resolved in it; null otherwise. */
    private final String written;
    private final Redaction redaction;

    public Setting(String key, String value, String origin) {
        this(key, value, origin, null, Redaction.NONE);
    }

    private Setting(String key, String value, String origin, String written, Redaction redaction) {
        this.key = key;
        this.value = value;
        this.origin = origin;
        this.written = written;
        this.redaction = redaction;
    }

    public String key() {
        return key;
    }

    /** The value to use, placeholders resolved. */
    public String value() {
        return value;
    }

    public String origin() {
        return origin;
    }

    /** True when the value came (in part) from a {@code ${NAME}} placeholder. */
    boolean hasPlaceholders() {
        return written != null;
    }

    /**
     * What a message may show of this value: {@code part} (the value or a piece of it) when no placeholder went into
     * the value, else the value as written, with its {@code ${NAME}}s.
     */
    String shown(String part) {
        return written == null ? part : written.trim();
    }

    /** {@link #shown} of the whole value. */
    String shown() {
        return shown(value.trim());
    }

    /** Takes what the placeholders of this value resolved to back out of a text that may quote it. */
    Redaction redaction() {
        return redaction;
    }

    /** @param placeholders name → value of each placeholder resolved in it */
    Setting resolved(String resolvedValue, Map<String, String> placeholders) {
        return new Setting(key, resolvedValue, origin, written == null ? value : written, Redaction.of(placeholders));
    }
}
