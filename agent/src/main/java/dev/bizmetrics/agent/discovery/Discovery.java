package dev.bizmetrics.agent.discovery;

import dev.bizmetrics.agent.config.DataSourceSpec;
import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.bootstrap.DataSourceRegistry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the agent's view of the application's DataSources: what the hooks have seen, described, and which
 * configured name each is bound to. Refreshed on the agent's scheduler; read by the query threads and the scrape.
 */
public final class Discovery {

    private volatile List<DataSourceDescription> seen = Collections.emptyList();
    private volatile Map<String, Binding> bindings = Collections.emptyMap();

    /** Re-reads the registry and re-applies the selectors; logs each binding that changed. */
    public synchronized void refresh(Map<String, DataSourceSpec> specs) {
        List<DataSourceDescription> described = new ArrayList<DataSourceDescription>();
        for (Object instance : DataSourceRegistry.snapshot()) {
            try {
                DataSourceDescription description = DataSourceDescriber.describe(instance);
                if (description != null) {
                    described.add(description);
                }
            } catch (Throwable t) {
                Log.debug("could not describe a " + instance.getClass().getName() + ": " + Log.describe(t));
            }
        }
        Map<String, Binding> next = new LinkedHashMap<String, Binding>();
        for (DataSourceSpec spec : specs.values()) {
            Binding binding = Binder.bind(spec, described);
            logChange(bindings.get(spec.name()), binding);
            next.put(spec.name(), binding);
        }
        seen = Collections.unmodifiableList(described);
        bindings = Collections.unmodifiableMap(next);
    }

    private static void logChange(Binding before, Binding after) {
        if (after.isBound()) {
            if (before == null || before.bound() == null || before.bound().instance() != after.bound().instance()) {
                DataSourceDescription d = after.bound();
                Log.info("datasource " + after.name() + " bound to " + d.id()
                        + (d.poolName().isEmpty() ? "" : " pool '" + d.poolName() + "'")
                        + (d.url().isEmpty() ? "" : " " + d.url()));
            }
        } else if (before == null || !after.explanation().equals(before.explanation())) {
            String line = "datasource " + after.name() + " not bound: " + after.explanation();
            if (after.explanation().startsWith("no connection pool seen yet")) {
                Log.debug(line);
            } else {
                Log.warn(line);
            }
        }
    }

    public List<DataSourceDescription> seen() {
        return seen;
    }

    /** By configured name. */
    public Map<String, Binding> bindings() {
        return bindings;
    }
}
