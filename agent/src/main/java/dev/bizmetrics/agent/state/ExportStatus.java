package dev.bizmetrics.agent.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What {@code export.host-registry} achieved so far: the application's registries published into, by kind, the
 * names left out for a clash with the application's own metrics, the errors swallowed. Immutable.
 */
public final class ExportStatus {

    public static final ExportStatus OFF = new ExportStatus(false, Collections.<String, Integer>emptyMap(),
            Collections.<String>emptySet(), 0);

    private final boolean on;
    private final Map<String, Integer> registries;
    private final Set<String> skipped;
    private final long errors;

    public ExportStatus(boolean on, Map<String, Integer> registries, Set<String> skipped, long errors) {
        this.on = on;
        this.registries = Collections.unmodifiableMap(new LinkedHashMap<String, Integer>(registries));
        this.skipped = Collections.unmodifiableSet(skipped);
        this.errors = errors;
    }

    public boolean isOn() {
        return on;
    }

    /** How many registries of each kind ({@code micrometer}, ...) the agent publishes into. */
    public Map<String, Integer> registries() {
        return registries;
    }

    /** The agent's metric names left out of a registry that has its own metric of that name. */
    public Set<String> skipped() {
        return skipped;
    }

    /** Errors swallowed in the adapters and the registries' hooks. */
    public long errors() {
        return errors;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ExportStatus)) {
            return false;
        }
        ExportStatus other = (ExportStatus) o;
        return on == other.on && errors == other.errors && registries.equals(other.registries)
                && skipped.equals(other.skipped);
    }

    @Override
    public int hashCode() {
        return (on ? 1 : 0) + 31 * registries.hashCode() + 961 * skipped.hashCode() + (int) errors;
    }
}
