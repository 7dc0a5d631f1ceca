package dev.bizmetrics.agent.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Writes a bizmetrics.properties into a temp folder and loads it with a controlled environment. */
final class ConfigFixture {

    final Path dir;
    final Map<String, String> env = new HashMap<>();
    final Properties system = new Properties();
    final Map<String, String> overrides = new HashMap<>();

    ConfigFixture(Path dir) {
        this.dir = dir;
    }

    Path write(String... lines) {
        return write(StandardCharsets.UTF_8, lines);
    }

    Path write(Charset charset, String... lines) {
        Path file = dir.resolve("bizmetrics.properties");
        try {
            Files.write(file, (String.join("\n", lines) + "\n").getBytes(charset));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    LoadedConfig load(String... lines) {
        return load(write(lines));
    }

    LoadedConfig load(Path file) {
        return ConfigLoader.load(new ConfigSource(file.toString(), overrides, env, system));
    }

    /** The config of lines that must be valid; fails with the problems otherwise. */
    AgentConfig valid(String... lines) {
        LoadedConfig loaded = load(lines);
        if (!loaded.isValid()) {
            throw new AssertionError("expected a valid config, got " + problems(loaded));
        }
        return loaded.config();
    }

    /** The problems of lines, as a user sees them. */
    List<String> problems(String... lines) {
        return problems(load(lines));
    }

    static List<String> problems(LoadedConfig loaded) {
        return loaded.problems().stream().map(Problem::toString).toList();
    }

    static QuerySpec query(AgentConfig config, String id) {
        return config.queries().stream().filter(q -> q.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no query " + id));
    }

    static MetricSpec metric(AgentConfig config, String name) {
        return config.queries().stream().flatMap(q -> q.metrics().stream()).filter(m -> m.name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name));
    }

    static Map<String, String> map(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
