package dev.bizmetrics.agent.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every configuration key there is: the plain keys, and the attributes of each group ({@code metric.<name>.sql}). */
final class Keys {

    static final List<String> PLAIN = Collections.unmodifiableList(Arrays.asList("http.port", "http.host",
            "http.auth.username", "http.auth.password", "http.auth.password-sha256", "http.tls.keystore",
            "http.tls.keystore-password", "discovery.generic", "allow-any-sql", "log.level", "defaults.interval",
            "defaults.timeout", "defaults.max-series", "fleet.mode", "fleet.name", "fleet.check-interval", "pools.metrics",
            AgentMain.KEY, "export.host-registry"));

    /** Group → its attributes, e.g. {@code metric} → {@code sql, query, help, ...}. */
    static final Map<String, List<String>> GROUPS;

    static {
        Map<String, List<String>> groups = new LinkedHashMap<String, List<String>>();
        groups.put("datasource", Arrays.asList("match", "max-connections"));
        groups.put("metric", Arrays.asList("sql", "query", "help", "type", "labels", "value", "const-labels",
                "interval", "timeout", "datasource", "max-series", "scope", "buckets", "bucket-bound", "quantile", "sum",
                "count", "timestamp"));
        groups.put("query", Arrays.asList("sql", "interval", "timeout", "datasource", "scope"));
        GROUPS = Collections.unmodifiableMap(groups);
    }

    private Keys() {
    }
}
