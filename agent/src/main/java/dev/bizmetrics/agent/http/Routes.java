package dev.bizmetrics.agent.http;

import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;

/**
 * Which path answers what: basic auth first on every path when configured, {@code /metrics} through client_java's
 * scrape handler, {@code /-/healthy}, and every other path to {@link AgentPages}.
 */
final class Routes implements RequestHandler {

    /** What the client's own server answered, so that probes written against it keep working. */
    static final String HEALTHY = "Exporter is healthy.\n";

    /**
     * Scrapes rendered at once. Connections are served side by side so that a slow client holds up only itself,
     * but rendering is CPU and heap taken from the host: one at a time, however many scrapers there are, the port
     * takes at most about a core and one rendering's memory (plus the rendered bodies still being sent).
     */
    private final Semaphore renderers = new Semaphore(1, true);

    private final BasicAuth auth;
    private final PrometheusScrapeHandler scrape;
    private final AgentPages pages;

    /** @param auth null when the port is open */
    Routes(BasicAuth auth, PrometheusScrapeHandler scrape, AgentPages pages) {
        this.auth = auth;
        this.scrape = scrape;
        this.pages = pages;
    }

    @Override
    public void handle(HttpRequest request, ResponseWriter response) throws IOException {
        if (auth != null && !auth.permits(request.headers("Authorization"))) {
            response.send(HttpResponse.text(401, "authentication required\n")
                    .with("WWW-Authenticate", BasicAuth.CHALLENGE));
            return;
        }
        String path = request.path();
        if (path.equals("/metrics") || path.equals("/-/healthy")) {
            if (!request.isGetOrHead()) {
                response.send(HttpResponse.text(405, "method not allowed; use GET or HEAD\n")
                        .with("Allow", "GET, HEAD"));
            } else if (path.equals("/metrics")) {
                scrape(request).send(response);
            } else {
                response.send(HttpResponse.text(200, HEALTHY));
            }
            return;
        }
        response.send(pages.serve(request));
    }

    private ScrapeExchange scrape(HttpRequest request) throws IOException {
        ScrapeExchange exchange = new ScrapeExchange(request);
        try {
            renderers.acquire();
        } catch (InterruptedException e) {
            throw new InterruptedIOException("the server is closing");
        }
        try {
            scrape.handleRequest(exchange);
        } finally {
            renderers.release();
        }
        return exchange;
    }
}
