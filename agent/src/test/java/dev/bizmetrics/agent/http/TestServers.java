package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.config.ConfigLoader;
import dev.bizmetrics.agent.config.ConfigSource;
import dev.bizmetrics.agent.config.HttpSettings;
import dev.bizmetrics.agent.config.LoadedConfig;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Agent ports in the test JVM: on loopback, a free port, a registry with one gauge. */
final class TestServers {

    static final String USER = "prometheus";
    static final String PASSWORD = "s3cret-pässword";

    private TestServers() {
    }

    /** A registry with {@code test_gauge 42} and, for tests of large bodies, {@code wide} series as asked. */
    static PrometheusRegistry registry(int wideSeries) {
        PrometheusRegistry registry = new PrometheusRegistry();
        Gauge.builder().name("test_gauge").help("a test gauge").register(registry).set(42);
        if (wideSeries > 0) {
            Gauge wide = Gauge.builder().name("wide").help("many series").labelNames("label").register(registry);
            for (int i = 0; i < wideSeries; i++) {
                wide.labelValues("label-" + "x".repeat(100) + i).set(i);
            }
        }
        return registry;
    }

    static Reloader reloader() {
        return () -> new Reloader.Result(true, List.of("applied by a test"));
    }

    /** The settings the configuration parser makes of these {@code http.*} overrides, on 127.0.0.1 port 0. */
    static HttpSettings settings(Path dir, String... keyValues) throws IOException {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("http.host", "127.0.0.1");
        overrides.put("http.port", "0");
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.put(keyValues[i], keyValues[i + 1]);
        }
        Path file = Files.writeString(dir.resolve("bizmetrics.properties"), "");
        LoadedConfig loaded = ConfigLoader.load(new ConfigSource(file.toString(), overrides, Map.of(),
                new Properties()));
        if (!loaded.isValid()) {
            throw new IllegalStateException(loaded.problems().toString());
        }
        return loaded.config().http();
    }

    static HttpSettings withAuth(Path dir) throws IOException {
        return settings(dir, "http.auth.username", USER, "http.auth.password", PASSWORD);
    }
}
