package dev.bizmetrics.agent.config;

/** Where the agent's HTTP server listens. */
public final class HttpSettings {
    public static final int DEFAULT_PORT = 30313;
    public static final String DEFAULT_HOST = "0.0.0.0";

    private final String host;
    private final int port;

    public HttpSettings(String host, int port) {
        this.host = host;
        this.port = port;
    }

    public String host() {
        return host;
    }

    /** 0 picks a free port. */
    public int port() {
        return port;
    }
}
