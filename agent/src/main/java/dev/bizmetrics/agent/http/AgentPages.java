package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.state.AgentView;
import dev.bizmetrics.agent.log.Log;

/** Every path but {@code /metrics} and {@code /-/healthy}: the status page, readiness and reload. */
final class AgentPages {

    private final AgentView view;
    private final Reloader reloader;

    AgentPages(AgentView view, Reloader reloader) {
        this.view = view;
        this.reloader = reloader;
    }

    /** Never throws: a failure of the agent while building a page is a plain 500 without its details. */
    HttpResponse serve(HttpRequest request) {
        String path = request.path();
        try {
            if (path.equals("/-/reload")) {
                if (!request.method().equals("POST")) {
                    return HttpResponse.text(405, "use POST to reload the configuration\n").with("Allow", "POST");
                }
                Reloader.Result result = reloader.reload();
                return HttpResponse.text(result.applied() ? 200 : 400, (result.applied() ? "ok\n" : "")
                        + join(result.lines()));
            }
            if (!request.isGetOrHead()) {
                return HttpResponse.text(405, "method not allowed\n").with("Allow", "GET, HEAD");
            }
            if (path.equals("/")) {
                return HttpResponse.html(200, StatusPage.render(view))
                        .with("Content-Security-Policy", StatusPage.CONTENT_SECURITY_POLICY);
            }
            if (path.equals("/-/ready")) {
                String reason = Readiness.notReadyBecause(view);
                return HttpResponse.text(reason == null ? 200 : 503, (reason == null ? "ready" : reason) + "\n");
            }
            return HttpResponse.text(404, "not found; see / for what is here\n");
        } catch (Throwable t) {
            Log.warn("serving " + path + " failed", t);
            return HttpResponse.text(500, "internal error; the agent's log has the details\n");
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
