package dev.bizmetrics.agent.config;

/** Reads, merges and validates the configuration into a {@link LoadedConfig}. */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** Never throws: whatever goes wrong is a problem of the load. */
    public static LoadedConfig load(ConfigSource source) {
        ConfigSource.Read read = source.read();
        if (!read.readable) {
            return new LoadedConfig(source.path(), null, null, read.problems, false);
        }
        try {
            ConfigParser.Result parsed = ConfigParser.parse(read.settings, read.problems);
            return new LoadedConfig(source.path(), parsed.http, parsed.config, read.problems, true);
        } catch (RuntimeException e) {
            // A bug of ours must not take the running configuration away, nor reach the host's thread.
            read.problems.add(new Problem(source.path(), null, "could not be validated (" + e + "); please report "
                    + "this"));
            return new LoadedConfig(source.path(), null, null, read.problems, true);
        }
    }
}
