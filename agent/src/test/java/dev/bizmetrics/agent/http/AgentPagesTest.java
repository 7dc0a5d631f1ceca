package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.config.HttpSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A failure inside the agent while serving a page is a plain 500, and the next request is served as usual. */
class AgentPagesTest {

    private final FakeView view = new FakeView();
    private MetricsServer server;

    @BeforeEach
    void start() {
        view.broken.set(true);
        server = MetricsServer.start(new HttpSettings("127.0.0.1", 0), TestServers.registry(0), view, () -> {
            throw new IllegalStateException("reload exploded at dev.bizmetrics.Secret.line(42)");
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anInternalFailureIsAPlain500WithoutDetailsAndServingGoesOn() throws Exception {
        for (String path : List.of("/", "/-/ready")) {
            HttpResponse<String> failed = get(path);
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).isEqualTo("internal error; the agent's log has the details\n");
        }
        HttpResponse<String> reload = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/-/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reload.statusCode()).isEqualTo(500);
        assertThat(reload.body()).doesNotContain("Secret", "exploded");

        view.broken.set(false);
        HttpResponse<String> ready = get("/-/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("the configuration is invalid (1 problems); see /\n");
        assertThat(get("/").body()).contains("<h1>bizmetrics</h1>");
        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
