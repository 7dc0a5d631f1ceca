package dev.bizmetrics.agent.config;

import java.util.Collections;
import java.util.List;

/** The outcome of reading the configuration: a valid config, or every problem found. */
public final class LoadedConfig {
    private final String source;
    private final HttpSettings http;
    private final AgentConfig config;
    private final List<Problem> problems;
    private final boolean readable;

    LoadedConfig(String source, HttpSettings http, AgentConfig config, List<Problem> problems, boolean readable) {
        this.source = source;
        this.http = http;
        this.config = config;
        this.problems = Collections.unmodifiableList(problems);
        this.readable = readable;
    }

    /** The file that was read, as the user named it. */
    public String source() {
        return source;
    }

    /**
     * The port's settings, or null when any problem concerns them ({@link Problem#concernsHttp}): a file with a
     * mistake in a query still gives them, one that cannot be read or has a misspelt {@code http.*} key does not.
     */
    public HttpSettings http() {
        return http;
    }

    /** The config, or null when there are problems. */
    public AgentConfig config() {
        return config;
    }

    public List<Problem> problems() {
        return problems;
    }

    public boolean isValid() {
        return config != null;
    }

    /** False when the file could not be read at all. */
    public boolean isReadable() {
        return readable;
    }
}
