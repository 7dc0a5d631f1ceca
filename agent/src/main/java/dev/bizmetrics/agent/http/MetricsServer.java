package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.config.HttpSettings;
import dev.bizmetrics.agent.state.AgentView;
import dev.bizmetrics.agent.log.Log;
import io.prometheus.metrics.config.ExporterProperties;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The agent's port: a small HTTP/1.1 server of our own ({@link HttpListener}), with {@code /metrics} served by
 * client_java's scrape handler on a private registry with explicit properties (never the host's own Prometheus
 * settings). Basic auth and HTTPS, when configured, cover every path.
 *
 * <p>Not the JDK's {@code com.sun.net.httpserver} (which the client's {@code HTTPServer} is): it reads each request's
 * headers, and does the TLS handshake, on the thread that serves requests with no deadline, so one client that
 * stalls mid-request silences the port; its only deadlines are system properties read once per JVM, shared with
 * every JDK server the host runs (and the client's {@code HTTPServer} sets them for the whole JVM). This server sets
 * no system property and changes nothing of the host's.
 */
public final class MetricsServer {

    private final HttpListener listener;

    private MetricsServer(HttpListener listener) {
        this.listener = listener;
    }

    /** Starts the server, or returns null after one clear log line when it cannot (port in use, bad keystore). */
    public static MetricsServer start(HttpSettings settings, PrometheusRegistry registry, AgentView view,
                                      Reloader reloader) {
        return start(settings, registry, view, reloader, HttpLimits.DEFAULTS);
    }

    static MetricsServer start(HttpSettings settings, PrometheusRegistry registry, AgentView view, Reloader reloader,
                               HttpLimits limits) {
        String where = settings.host() + ":" + settings.port();
        ServerSocket socket = null;
        try {
            // Before the port opens: a keystore that cannot be read leaves it closed rather than open without TLS.
            Tls tls = settings.keystore() == null ? null
                    : Tls.fromKeystore(settings.keystore(), settings.keystorePassword());
            BasicAuth auth = settings.username() == null ? null
                    : new BasicAuth(settings.username(), settings.passwordSha256());
            Routes routes = new Routes(auth, new PrometheusScrapeHandler(PrometheusProperties.builder()
                    // Sample timestamps (metric.<name>.timestamp) in the text format's milliseconds, not seconds.
                    .exporterProperties(ExporterProperties.builder().prometheusTimestampsInMs(true).build()).build(),
                    registry), new AgentPages(view, reloader));
            socket = new ServerSocket();
            socket.setReuseAddress(true); // a restarted host gets its port back while old connections linger
            socket.bind(new InetSocketAddress(settings.host(), settings.port()), HttpLimits.BACKLOG);
            HttpListener listener = new HttpListener(socket, tls, limits, routes);
            listener.start();
            Log.info("serving " + (tls != null ? "https" : "http") + "://" + settings.host() + ":"
                    + listener.port() + "/metrics" + (auth != null ? " (basic auth)" : ""));
            return new MetricsServer(listener);
        } catch (Throwable t) {
            closeQuietly(socket);
            if (isBindFailure(t)) {
                Log.error("cannot listen on " + where + ": the port is in use; set http.port to a free port (e.g. "
                        + "-javaagent:bizmetrics-agent.jar=config=PATH,http.port=30314) or to 0 for any free port; "
                        + "the application runs on without the agent's port");
            } else {
                Log.error("cannot start the HTTP server on " + where + "; no metrics are served", t);
            }
            return null;
        }
    }

    private static boolean isBindFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // it was not open
            }
        }
    }

    public int port() {
        return listener.port();
    }

    /**
     * Stops accepting, ends every open connection and, within a second, every thread of the server; the port can
     * then be opened again, e.g. with new {@code http.*} settings.
     */
    public void close() {
        listener.close();
    }
}
