package dev.bizmetrics.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.bizmetrics.agent.config.HttpSettings;
import dev.bizmetrics.agent.engine.DaemonThreads;
import dev.bizmetrics.agent.log.Log;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.exporter.httpserver.HttpErrorHandlingPolicy;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent's port: {@code /metrics} and {@code /-/healthy} from the Prometheus client's HTTP server, on a private
 * registry with explicit properties (never the host's own Prometheus settings), served by daemon threads.
 */
public final class MetricsServer {

    private final HTTPServer server;

    private MetricsServer(HTTPServer server) {
        this.server = server;
    }

    /** Starts the server, or returns null after one clear log line when it cannot (port in use, bad host). */
    public static MetricsServer start(HttpSettings settings, PrometheusRegistry registry) {
        ExecutorService executor = new ThreadPoolExecutor(1, 2, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<Runnable>(64), new DaemonThreads("http"), new ThreadPoolExecutor.DiscardPolicy());
        try {
            HTTPServer server = HTTPServer.builder(PrometheusProperties.builder().build())
                    .hostname(settings.host())
                    .port(settings.port())
                    .registry(registry)
                    .executorService(executor)
                    .defaultHandler(new HomeHandler())
                    .errorHandlingPolicy(HttpErrorHandlingPolicy.builder()
                            .errorReporter(new Consumer<Exception>() {
                                @Override
                                public void accept(Exception e) {
                                    Log.warn("serving /metrics failed", e);
                                }
                            }).build())
                    .buildAndStart();
            Log.info("serving http://" + settings.host() + ":" + server.getPort() + "/metrics");
            return new MetricsServer(server);
        } catch (Throwable t) {
            executor.shutdownNow();
            String where = settings.host() + ":" + settings.port();
            if (isBindFailure(t)) {
                Log.error("cannot listen on " + where + " (port in use?); no metrics are served. Set http.port to a "
                        + "free port (-javaagent:bizmetrics-agent.jar=config=PATH,http.port=30314), or 0 for any");
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

    public int port() {
        return server.getPort();
    }

    public void stop() {
        server.close();
    }

    /** {@code /}: a pointer to the metrics until the status page exists. */
    private static final class HomeHandler implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            try {
                byte[] body = ("bizmetrics agent\n/metrics     Prometheus metrics\n/-/healthy   health\n")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
                int status = exchange.getRequestURI().getPath().equals("/") ? 200 : 404;
                exchange.sendResponseHeaders(status, body.length);
                OutputStream out = exchange.getResponseBody();
                out.write(body);
            } finally {
                exchange.close();
            }
        }
    }
}
