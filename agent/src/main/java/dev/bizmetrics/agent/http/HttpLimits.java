package dev.bizmetrics.agent.http;

/**
 * How much the agent's port gives any one client: connections, time and bytes. The sizes are fixed; the times and the
 * connection cap are a value so that in-process tests can use shorter ones than the product's.
 */
final class HttpLimits {

    /** Connections served at once. Past it the acceptor stops accepting; newcomers wait in the kernel's backlog. */
    static final int MAX_CONNECTIONS = 16;
    /** The request line and headers (and for HTTPS the handshake) must arrive within this of a request's start. */
    static final long HEADER_DEADLINE_MILLIS = 5_000;
    /** A kept-alive connection with no new request for this long is closed. */
    static final long IDLE_TIMEOUT_MILLIS = 30_000;
    /** A response not taken by its client within this is cut: the socket is reset. */
    static final long WRITE_DEADLINE_MILLIS = 30_000;
    /** While a connection waits for a slot, kept-alive connections idle for this long give theirs up. */
    static final long SHED_IDLE_AFTER_MILLIS = 1_000;

    static final int MAX_REQUEST_LINE = 8 * 1024;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_HEADERS = 100;
    /** Request bodies are read and thrown away; nothing the agent serves takes one. */
    static final int MAX_BODY = 64 * 1024;
    /** Connections the kernel may hold complete but not yet accepted, while the acceptor is at the cap. */
    static final int BACKLOG = 128;

    static final HttpLimits DEFAULTS = new HttpLimits(MAX_CONNECTIONS, HEADER_DEADLINE_MILLIS, IDLE_TIMEOUT_MILLIS,
            WRITE_DEADLINE_MILLIS, SHED_IDLE_AFTER_MILLIS);

    private final int maxConnections;
    private final long headerDeadlineMillis;
    private final long idleTimeoutMillis;
    private final long writeDeadlineMillis;
    private final long shedIdleAfterMillis;

    HttpLimits(int maxConnections, long headerDeadlineMillis, long idleTimeoutMillis, long writeDeadlineMillis,
               long shedIdleAfterMillis) {
        this.maxConnections = maxConnections;
        this.headerDeadlineMillis = headerDeadlineMillis;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.writeDeadlineMillis = writeDeadlineMillis;
        this.shedIdleAfterMillis = shedIdleAfterMillis;
    }

    int maxConnections() {
        return maxConnections;
    }

    long headerDeadlineMillis() {
        return headerDeadlineMillis;
    }

    long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    long writeDeadlineMillis() {
        return writeDeadlineMillis;
    }

    long shedIdleAfterMillis() {
        return shedIdleAfterMillis;
    }
}
