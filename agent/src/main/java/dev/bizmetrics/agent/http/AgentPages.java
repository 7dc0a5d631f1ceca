package dev.bizmetrics.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.bizmetrics.agent.expose.AgentView;
import dev.bizmetrics.agent.expose.Reloader;
import dev.bizmetrics.agent.log.Log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Every path but {@code /metrics} and {@code /-/healthy}: the status page, readiness and reload. */
final class AgentPages implements HttpHandler {

    private final AgentView view;
    private final Reloader reloader;

    AgentPages(AgentView view, Reloader reloader) {
        this.view = view;
        this.reloader = reloader;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/-/reload")) {
                if (!method.equals("POST")) {
                    exchange.getResponseHeaders().set("Allow", "POST");
                    send(exchange, 405, "text/plain", "use POST to reload the configuration\n");
                    return;
                }
                Reloader.Result result = reloader.reload();
                send(exchange, result.applied() ? 200 : 400, "text/plain", (result.applied() ? "ok\n" : "")
                        + join(result.lines()));
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain", "method not allowed\n");
            } else if (path.equals("/")) {
                exchange.getResponseHeaders().set("Content-Security-Policy", StatusPage.CONTENT_SECURITY_POLICY);
                send(exchange, 200, "text/html", StatusPage.render(view));
            } else if (path.equals("/-/ready")) {
                String reason = Readiness.notReadyBecause(view);
                send(exchange, reason == null ? 200 : 503, "text/plain", (reason == null ? "ready" : reason) + "\n");
            } else {
                send(exchange, 404, "text/plain", "not found; see / for what is here\n");
            }
        } catch (Throwable t) {
            Log.warn("serving " + exchange.getRequestURI().getPath() + " failed", t);
            try {
                send(exchange, 500, "text/plain", "internal error; the agent's log has the details\n");
            } catch (Throwable ignored) {
                // headers already sent; nothing more to say
            }
        } finally {
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            OutputStream out = exchange.getResponseBody();
            out.write(bytes);
        }
    }

    private static String join(Iterable<String> lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return text.toString();
    }
}
