package dev.bizmetrics.agent.http;

import com.sun.net.httpserver.HttpServer;
import dev.bizmetrics.agent.expose.AgentView;
import dev.bizmetrics.agent.expose.Reloader;
import dev.bizmetrics.agent.state.AgentSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A failure inside the agent while serving a page is a plain 500, and the next request is served as usual. */
class AgentPagesTest {

    private final AtomicBoolean broken = new AtomicBoolean(true);
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", new AgentPages(new FlakyView(), () -> {
            throw new IllegalStateException("reload exploded at dev.bizmetrics.Secret.line(42)");
        }));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
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

        broken.set(false);
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
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** A view whose every answer fails while {@code broken} is set. */
    private final class FlakyView implements AgentView {
        @Override
        public AgentSnapshot snapshot() {
            if (broken.get()) {
                throw new IllegalStateException("view exploded at dev.bizmetrics.Secret.line(42)");
            }
            return AgentSnapshot.first("test", 0L, "by a test", dev.bizmetrics.agent.config.ConfigLoader.load(
                    new dev.bizmetrics.agent.config.ConfigSource("/nonexistent/bizmetrics.properties", Map.of(),
                            Map.of(), new java.util.Properties())), 0L);
        }
    }
}
