package dev.bizmetrics.agent.hostexport;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** What {@code export.host-registry} achieved so far: the registries published into, the names left out. Immutable. */
public final class ExportStatus {

    static final ExportStatus OFF = new ExportStatus(false, new EnumMap<HostTarget.Kind, Integer>(HostTarget.Kind.class),
            Collections.<String>emptySet(), 0);

    private final boolean on;
    private final Map<HostTarget.Kind, Integer> registries;
    private final Set<String> skipped;
    private final long errors;

    ExportStatus(boolean on, Map<HostTarget.Kind, Integer> registries, Set<String> skipped, long errors) {
        this.on = on;
        this.registries = Collections.unmodifiableMap(registries);
        this.skipped = Collections.unmodifiableSet(skipped);
        this.errors = errors;
    }

    public boolean isOn() {
        return on;
    }

    /** How many registries of each kind ({@code micrometer}, ...) the agent publishes into. */
    public Map<String, Integer> registries() {
        Map<String, Integer> byLabel = new java.util.LinkedHashMap<String, Integer>();
        for (Map.Entry<HostTarget.Kind, Integer> entry : registries.entrySet()) {
            byLabel.put(entry.getKey().label, entry.getValue());
        }
        return byLabel;
    }

    /** The agent's metric names left out of a registry that has its own metric of that name. */
    public Set<String> skipped() {
        return skipped;
    }

    /** Errors swallowed in the adapters and the registries' hooks. */
    public long errors() {
        return errors;
    }
}
