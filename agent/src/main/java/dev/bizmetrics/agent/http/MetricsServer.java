package dev.bizmetrics.agent.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import dev.bizmetrics.agent.config.HttpSettings;
import dev.bizmetrics.agent.threads.DaemonThreads;
import dev.bizmetrics.agent.expose.AgentView;
import dev.bizmetrics.agent.expose.Reloader;
import dev.bizmetrics.agent.log.Log;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.exporter.httpserver.HttpErrorHandlingPolicy;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.BindException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent's port, built on the Prometheus client's HTTP server with a private registry and explicit properties
 * (never the host's own Prometheus settings), served by daemon threads. {@code /metrics} and {@code /-/healthy} are
 * the client's; every other path goes to {@link AgentPages}. Basic auth and HTTPS, when configured, cover every
 * path.
 */
public final class MetricsServer {

    private static final String NO_DELAY = "sun.net.httpserver.nodelay";
    private static final List<String> TLS_PROTOCOLS = Arrays.asList("TLSv1.3", "TLSv1.2");

    private final HTTPServer server;

    private MetricsServer(HTTPServer server) {
        this.server = server;
    }

    /** Starts the server, or returns null after one clear log line when it cannot (port in use, bad keystore). */
    public static MetricsServer start(HttpSettings settings, PrometheusRegistry registry, AgentView view,
                                      Reloader reloader) {
        // One thread serves: however many scrapers there are, the agent's port takes at most a core from the host.
        // A full queue makes the accepting thread serve the request itself: slower accepts, never a dropped one.
        ExecutorService executor = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<Runnable>(64), new DaemonThreads("http"), new ThreadPoolExecutor.CallerRunsPolicy());
        String where = settings.host() + ":" + settings.port();
        try {
            // The JDK server writes headers and body separately; with Nagle on, each response then waits for the
            // client's delayed ACK (~40 ms). Read once per JVM: a host that set it, or started a server, keeps its own.
            if (System.getProperty(NO_DELAY) == null) {
                System.setProperty(NO_DELAY, "true");
            }
            HTTPServer.Builder builder = HTTPServer.builder(PrometheusProperties.builder().build())
                    .hostname(settings.host())
                    .port(settings.port())
                    .registry(registry)
                    .executorService(executor)
                    .defaultHandler(new AgentPages(view, reloader))
                    .errorHandlingPolicy(HttpErrorHandlingPolicy.builder()
                            .errorReporter(new Consumer<Exception>() {
                                @Override
                                public void accept(Exception e) {
                                    Log.warn("serving /metrics failed", e);
                                }
                            }).build());
            if (settings.username() != null) {
                builder.authenticator(new PasswordCheck(settings.username(), settings.passwordSha256()));
            }
            if (settings.keystore() != null) {
                builder.httpsConfigurator(https(settings));
            }
            HTTPServer server = builder.buildAndStart();
            Log.info("serving " + (settings.keystore() != null ? "https" : "http") + "://" + settings.host() + ":"
                    + server.getPort() + "/metrics" + (settings.username() != null ? " (basic auth)" : ""));
            return new MetricsServer(server);
        } catch (Throwable t) {
            executor.shutdownNow();
            if (isBindFailure(t)) {
                Log.error("cannot listen on " + where + " (port in use?); no metrics are served. Set http.port to a "
                        + "free port (-javaagent:bizmetrics-agent.jar=config=PATH,http.port=30314), or 0 for any");
            } else {
                Log.error("cannot start the HTTP server on " + where + "; no metrics are served", t);
            }
            return null;
        }
    }

    /** HTTPS from the PKCS12 keystore, TLS 1.2 and 1.3 only. */
    private static HttpsConfigurator https(HttpSettings settings) throws Exception {
        char[] password = settings.keystorePassword().toCharArray();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        InputStream in = new FileInputStream(settings.keystore());
        try {
            keyStore.load(in, password);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot open the keystore " + settings.keystore()
                    + " (wrong http.tls.keystore-password, or not PKCS12?)", e);
        } finally {
            in.close();
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        final List<String> protocols = new ArrayList<String>();
        for (String protocol : context.getSupportedSSLParameters().getProtocols()) {
            if (TLS_PROTOCOLS.contains(protocol)) {
                protocols.add(protocol);
            }
        }
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setProtocols(protocols.toArray(new String[0]));
                params.setSSLParameters(parameters);
            }
        };
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

    public void close() {
        server.close();
    }
}
