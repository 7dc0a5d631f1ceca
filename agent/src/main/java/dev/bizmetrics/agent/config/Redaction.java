package dev.bizmetrics.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces what {@code ${NAME}} placeholders resolved to with the placeholders themselves, in text that quotes a
 * value: a message of ours, or a driver's message about a query. Values shorter than {@value #SHORTEST} characters
 * are left alone: replacing every "1" of a message would make it unreadable, and so short a value is no secret.
 */
public final class Redaction {

    static final int SHORTEST = 3;
    static final Redaction NONE = new Redaction(Collections.<String, String>emptyMap());

    /** Resolved value → the placeholder that gave it, longest value first. */
    private final Map<String, String> placeholders;

    private Redaction(Map<String, String> placeholders) {
        this.placeholders = placeholders;
    }

    /** @param resolved placeholder name → the value it resolved to */
    static Redaction of(Map<String, String> resolved) {
        if (resolved.isEmpty()) {
            return NONE;
        }
        List<Map.Entry<String, String>> entries = new ArrayList<Map.Entry<String, String>>(resolved.entrySet());
        Collections.sort(entries, new Comparator<Map.Entry<String, String>>() {
            @Override
            public int compare(Map.Entry<String, String> a, Map.Entry<String, String> b) {
                return b.getValue().length() - a.getValue().length();
            }
        });
        Map<String, String> byValue = new LinkedHashMap<String, String>();
        for (Map.Entry<String, String> entry : entries) {
            if (entry.getValue().length() >= SHORTEST && !byValue.containsKey(entry.getValue())) {
                byValue.put(entry.getValue(), "${" + entry.getKey() + "}");
            }
        }
        return byValue.isEmpty() ? NONE : new Redaction(Collections.unmodifiableMap(byValue));
    }

    /** The text with every resolved value in it replaced by its placeholder. */
    public String apply(String text) {
        if (text == null || placeholders.isEmpty()) {
            return text;
        }
        String result = text;
        for (Map.Entry<String, String> entry : placeholders.entrySet()) {
            result = result.replace(entry.getKey(), entry.getValue());
        }
        return result;
    }

    /** The placeholders whose values it takes out, e.g. {@code [${DB_PASSWORD}]}. */
    java.util.Collection<String> placeholders() {
        return new java.util.LinkedHashSet<String>(placeholders.values());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Redaction && placeholders.equals(((Redaction) o).placeholders);
    }

    @Override
    public int hashCode() {
        return placeholders.hashCode();
    }
}
