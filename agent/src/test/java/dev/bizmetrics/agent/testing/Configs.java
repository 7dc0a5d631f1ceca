package dev.bizmetrics.agent.testing;

import dev.bizmetrics.agent.config.AgentConfig;
import dev.bizmetrics.agent.config.ConfigLoader;
import dev.bizmetrics.agent.config.ConfigSource;
import dev.bizmetrics.agent.config.LoadedConfig;
import dev.bizmetrics.agent.config.QuerySpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/** Configurations for tests, built through the public loader as the agent builds them. */
public final class Configs {

    private static final AtomicInteger FILES = new AtomicInteger();

    private Configs() {
    }

    /** Writes the properties text to a new file in {@code dir}. */
    public static Path write(Path dir, String properties) {
        Path file = dir.resolve("bizmetrics-" + FILES.incrementAndGet() + ".properties");
        try {
            Files.writeString(file, properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The source of a file, with no environment, system properties or overrides. */
    public static ConfigSource source(Path file) {
        return new ConfigSource(file.toString(), Map.of(), Map.of(), new Properties());
    }

    /** The configuration of properties text that must be valid; fails with the problems otherwise. */
    public static AgentConfig valid(Path dir, String properties) {
        LoadedConfig loaded = ConfigLoader.load(source(write(dir, properties)));
        if (!loaded.isValid()) {
            throw new AssertionError("expected a valid configuration, got " + loaded.problems());
        }
        return loaded.config();
    }

    /** The one query of a configuration written as properties text. */
    public static QuerySpec query(Path dir, String properties) {
        AgentConfig config = valid(dir, properties);
        if (config.queries().size() != 1) {
            throw new AssertionError("expected one query, got " + config.queries().size());
        }
        return config.queries().get(0);
    }
}
