package dev.bizmetrics.agent.discovery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What discovery found at one moment: the DataSources seen and the binding of each configured name. Immutable. */
public final class DiscoveryResult {

    public static final DiscoveryResult EMPTY = new DiscoveryResult(Collections.<DataSourceDescription>emptyList(),
            Collections.<String, Binding>emptyMap());

    private final List<DataSourceDescription> seen;
    private final Map<String, Binding> bindings;

    DiscoveryResult(List<DataSourceDescription> seen, Map<String, Binding> bindings) {
        this.seen = Collections.unmodifiableList(new ArrayList<DataSourceDescription>(seen));
        this.bindings = Collections.unmodifiableMap(new LinkedHashMap<String, Binding>(bindings));
    }

    /** The DataSources seen that are alive, in the order first seen; wrappers resolved to what they wrap. */
    public List<DataSourceDescription> seen() {
        return seen;
    }

    /** By configured name, in configuration order. */
    public Map<String, Binding> bindings() {
        return bindings;
    }

    /** The configured name each bound instance is bound to, the instance compared by identity. */
    public String boundName(DataSourceDescription description) {
        Object instance = description.instance();
        for (Binding binding : bindings.values()) {
            if (binding.isBound() && instance != null && binding.bound().instance() == instance) {
                return binding.name();
            }
        }
        return null;
    }
}
