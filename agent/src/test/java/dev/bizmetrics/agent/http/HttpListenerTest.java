package dev.bizmetrics.agent.http;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server's own HTTP: keep-alive, HEAD, framing, bodies, failures, the connection cap and every deadline. */
class HttpListenerTest {

    /** Shorter deadlines than the product's, so that each can be watched within a second or two. */
    private static final HttpLimits FAST = new HttpLimits(HttpLimits.MAX_CONNECTIONS, 1000, 1000, 1000, 300);
    private static final HttpLimits PATIENT = new HttpLimits(HttpLimits.MAX_CONNECTIONS, 20_000, 20_000, 20_000, 300);

    private final List<HttpListener> listeners = new ArrayList<>();
    private final List<RawHttp> clients = new ArrayList<>();
    private final FakeView view = new FakeView();

    @AfterEach
    void close() throws IOException {
        for (RawHttp client : clients) {
            client.close();
        }
        listeners.forEach(HttpListener::close);
    }

    private int listen(HttpLimits limits, RequestHandler handler) throws IOException {
        HttpListener listener = new HttpListener(new ServerSocket(0, HttpLimits.BACKLOG,
                InetAddress.getLoopbackAddress()), null, limits, handler);
        listener.start();
        listeners.add(listener);
        return listener.port();
    }

    private int listen(HttpLimits limits) throws IOException {
        return listen(limits, routes(TestServers.registry(0)));
    }

    private Routes routes(PrometheusRegistry registry) {
        return new Routes(null, new PrometheusScrapeHandler(PrometheusProperties.builder().build(), registry),
                new AgentPages(view, TestServers.reloader()));
    }

    private RawHttp connect(int port) throws IOException {
        RawHttp client = new RawHttp(port);
        clients.add(client);
        return client;
    }

    @Test
    void keepAliveCarriesRequestsOneAfterTheOtherAndPipelined() throws Exception {
        RawHttp http = connect(listen(PATIENT));
        for (int i = 0; i < 3; i++) {
            RawHttp.Response response = http.send(RawHttp.get("/metrics")).read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).isNull();
        }
        http.send(RawHttp.get("/-/healthy") + RawHttp.get("/metrics") + RawHttp.get("/nope"));
        assertThat(http.read().text()).isEqualTo(Routes.HEALTHY);
        assertThat(http.read().text()).contains("test_gauge 42.0");
        assertThat(http.read().status()).isEqualTo(404);
    }

    @Test
    void connectionCloseAndHttp10WithoutKeepAliveCloseAfterTheResponse() throws Exception {
        int port = listen(PATIENT);
        RawHttp close = connect(port).send(RawHttp.get("/metrics", "Connection: close"));
        RawHttp.Response closed = close.read();
        assertThat(closed.header("Connection")).isEqualTo("close");
        assertThat(close.closedWithin(1000)).isTrue();

        RawHttp old = connect(port).send("GET /-/healthy HTTP/1.0\r\n\r\n");
        assertThat(old.read().header("Connection")).isEqualTo("close");
        assertThat(old.closedWithin(1000)).isTrue();

        RawHttp oldKept = connect(port);
        for (int i = 0; i < 2; i++) {
            RawHttp.Response kept = oldKept.send("GET /-/healthy HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(kept.header("Connection")).isEqualTo("keep-alive");
            assertThat(kept.text()).isEqualTo(Routes.HEALTHY);
        }
    }

    @Test
    void headSendsTheHeadOfAGetAndNoBody() throws Exception {
        RawHttp http = connect(listen(PATIENT));
        RawHttp.Response get = http.send(RawHttp.get("/metrics")).read();
        for (String path : List.of("/metrics", "/", "/-/healthy", "/-/ready")) {
            RawHttp.Response head = http.send(RawHttp.request("HEAD", path)).read(true);
            assertThat(head.status()).as(path).isIn(200, 503);
            assertThat(head.header("Content-Length")).as(path).isNotNull();
        }
        RawHttp.Response head = http.send(RawHttp.request("HEAD", "/metrics")).read(true);
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(get.body().length));
        // Had a HEAD sent a body, this would read it as the next status line.
        assertThat(http.send(RawHttp.get("/-/healthy")).read().text()).isEqualTo(Routes.HEALTHY);
    }

    @Test
    void bodiesOfUnknownLengthAreChunkedOnHttp11AndEndWithTheConnectionOnHttp10() throws Exception {
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        int port = listen(PATIENT, (request, response) -> {
            if (request.path().equals("/pieces")) {
                OutputStream body = response.begin(200, Map.of("Content-Type", "text/plain"), -1);
                for (int i = 0; i < big.length; i += 777) {
                    body.write(big, i, Math.min(777, big.length - i));
                }
                body.write(big, 0, 0);
            } else {
                routes(TestServers.registry(0)).handle(request, response);
            }
        });
        RawHttp http = connect(port);
        RawHttp.Response pieces = http.send(RawHttp.get("/pieces")).read();
        assertThat(pieces.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(pieces.body()).isEqualTo(big);
        assertThat(http.send(RawHttp.request("HEAD", "/pieces")).read(true).header("Transfer-Encoding"))
                .isEqualTo("chunked");
        assertThat(http.send(RawHttp.get("/-/healthy")).read().status()).isEqualTo(200);

        RawHttp old = connect(port).send("GET /pieces HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        RawHttp.Response delimited = old.read();
        assertThat(delimited.headers()).doesNotContainKeys("transfer-encoding", "content-length");
        assertThat(delimited.header("Connection")).isEqualTo("close");
        assertThat(delimited.body()).isEqualTo(big);
    }

    @Test
    void scrapesAreRenderedOneAtATimeAndGzipHasALength() throws Exception {
        AtomicInteger rendering = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        PrometheusRegistry registry = TestServers.registry(0);
        registry.register(new MultiCollector() {
            @Override
            public MetricSnapshots collect() {
                most.accumulateAndGet(rendering.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                rendering.decrementAndGet();
                return new MetricSnapshots();
            }
        });
        int port = listen(PATIENT, routes(registry));
        List<RawHttp> scrapers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            scrapers.add(connect(port).send(RawHttp.get("/metrics", "Accept-Encoding: gzip")));
        }
        for (RawHttp scraper : scrapers) {
            RawHttp.Response gzip = scraper.read();
            assertThat(gzip.header("Content-Length")).isEqualTo(String.valueOf(gzip.body().length));
            assertThat(gunzip(gzip.body())).contains("test_gauge 42.0");
        }
        assertThat(most.get()).isEqualTo(1);
    }

    @Test
    void aHandlerThatThrowsIsAPlain500AndTheNextRequestOnTheConnectionIsServed() throws Exception {
        PrometheusRegistry registry = TestServers.registry(0);
        registry.register(new MultiCollector() {
            @Override
            public MetricSnapshots collect() {
                throw new IllegalStateException("collector exploded at dev.bizmetrics.Secret.line(42)");
            }
        });
        RawHttp http = connect(listen(PATIENT, routes(registry)));
        RawHttp.Response metrics = http.send(RawHttp.get("/metrics")).read();
        assertThat(metrics.status()).isEqualTo(500);
        assertThat(metrics.text()).isEqualTo("internal error; the agent's log has the details\n");
        assertThat(metrics.header("Connection")).isNull();

        view.broken.set(true);
        RawHttp.Response page = http.send(RawHttp.get("/")).read();
        assertThat(page.status()).isEqualTo(500);
        assertThat(page.text()).doesNotContain("Secret", "exploded");
        view.broken.set(false);
        assertThat(http.send(RawHttp.get("/")).read().text()).contains("<h1>bizmetrics</h1>");
        assertThat(http.send(RawHttp.get("/-/healthy")).read().status()).isEqualTo(200);
    }

    @Test
    void aHandlerThatThrowsAfterItsResponseBeganEndsTheConnection() throws Exception {
        int port = listen(PATIENT, (request, response) -> {
            response.begin(200, Map.of(), 1000).write(new byte[10]);
            throw new IllegalStateException("halfway");
        });
        RawHttp http = connect(port).send(RawHttp.get("/"));
        try {
            RawHttp.Response broken = http.read();
            assertThat(broken.body()).hasSizeLessThan(1000); // ended short of its Content-Length: the client knows
        } catch (IOException e) {
            // or ended before the head left the buffer: the client knows too
        }
        assertThat(http.closedWithin(1000)).isTrue();
    }

    @Test
    void atTheCapTheNextConnectionWaitsUntilOneEnds() throws Exception {
        int port = listen(PATIENT);
        List<RawHttp> stalled = new ArrayList<>();
        for (int i = 0; i < HttpLimits.MAX_CONNECTIONS; i++) {
            stalled.add(connect(port).send("GET /metr"));
        }
        Thread.sleep(200);
        RawHttp seventeenth = connect(port).send(RawHttp.get("/-/healthy"));
        seventeenth.socket().setSoTimeout(1000);
        assertThatThrownBy(seventeenth::read).isInstanceOf(SocketTimeoutException.class);

        stalled.get(3).close();
        long freed = System.nanoTime();
        seventeenth.socket().setSoTimeout(2000);
        assertThat(seventeenth.read().text()).isEqualTo(Routes.HEALTHY);
        assertThat((System.nanoTime() - freed) / 1e9).isLessThan(1.0);
    }

    @Test
    void whileAConnectionWaitsForASlotResponsesCloseTheirConnection() throws Exception {
        // Idle connections are not shed within this test: only the closing responses free a slot.
        int port = listen(new HttpLimits(HttpLimits.MAX_CONNECTIONS, 20_000, 20_000, 20_000, 20_000));
        for (int i = 0; i < HttpLimits.MAX_CONNECTIONS - 1; i++) {
            assertThat(connect(port).send(RawHttp.get("/-/healthy")).read().header("Connection")).isNull();
        }
        RawHttp active = connect(port);
        assertThat(active.send(RawHttp.get("/-/healthy")).read().header("Connection")).isNull();

        RawHttp waiting = connect(port).send(RawHttp.get("/metrics"));
        Thread.sleep(300);
        RawHttp.Response last = active.send(RawHttp.get("/-/healthy")).read();
        assertThat(last.header("Connection")).isEqualTo("close");
        assertThat(active.closedWithin(1000)).isTrue();
        assertThat(waiting.read().text()).contains("test_gauge 42.0");
    }

    @Test
    void keptAliveConnectionsIdleForAWhileGiveTheirSlotToAWaitingOne() throws Exception {
        int port = listen(PATIENT);
        List<RawHttp> idle = new ArrayList<>();
        for (int i = 0; i < HttpLimits.MAX_CONNECTIONS; i++) {
            RawHttp http = connect(port);
            assertThat(http.send(RawHttp.get("/-/healthy")).read().status()).isEqualTo(200);
            idle.add(http);
        }
        long asked = System.nanoTime();
        RawHttp waiting = connect(port).send(RawHttp.get("/-/healthy"));
        assertThat(waiting.read().text()).isEqualTo(Routes.HEALTHY);
        assertThat((System.nanoTime() - asked) / 1e9).isLessThan(2.0);
        long shed = 0;
        for (RawHttp http : idle) {
            shed += http.closedWithin(50) ? 1 : 0;
        }
        assertThat(shed).isBetween(1L, (long) HttpLimits.MAX_CONNECTIONS);
    }

    @Test
    void aClientThatTricklesItsHeadersIsCutAtTheDeadlineNotAfter() throws Exception {
        int port = listen(FAST);
        RawHttp trickle = connect(port).send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        long start = System.nanoTime();
        boolean cut = false;
        for (int i = 0; i < 40 && !cut; i++) {
            try {
                trickle.send("a"); // one byte every 100 ms: each read is quick, their sum is not
                cut = trickle.closedWithin(100);
            } catch (IOException e) {
                cut = true;
            }
        }
        assertThat(cut).isTrue();
        assertThat((System.nanoTime() - start) / 1e9).isBetween(0.8, 2.0);

        RawHttp silent = connect(port);
        long connected = System.nanoTime();
        assertThat(silent.closedWithin(3000)).isTrue();
        assertThat((System.nanoTime() - connected) / 1e9).isBetween(0.8, 2.0);
    }

    @Test
    void aKeptAliveConnectionMayIdleForTheIdleTimeoutAndNoLonger() throws Exception {
        HttpLimits limits = new HttpLimits(HttpLimits.MAX_CONNECTIONS, 500, 1500, 1000, 300);
        RawHttp http = connect(listen(limits));
        assertThat(http.send(RawHttp.get("/-/healthy")).read().status()).isEqualTo(200);
        Thread.sleep(1000); // longer than the header deadline, within the idle timeout
        assertThat(http.send(RawHttp.get("/-/healthy")).read().status()).isEqualTo(200);
        long idleFrom = System.nanoTime();
        assertThat(http.closedWithin(4000)).isTrue();
        assertThat((System.nanoTime() - idleFrom) / 1e9).isBetween(1.3, 2.5);
    }

    @Test
    void aResponseTheClientDoesNotReadIsCutAtTheWriteDeadlineAndOthersAreServedMeanwhile() throws Exception {
        AtomicReference<IOException> failure = new AtomicReference<>();
        AtomicLong failedAt = new AtomicLong();
        CountDownLatch ended = new CountDownLatch(1);
        int port = listen(FAST, (request, response) -> {
            if (!request.path().equals("/endless")) {
                routes(TestServers.registry(0)).handle(request, response);
                return;
            }
            OutputStream body = response.begin(200, Map.of(), -1);
            try {
                while (true) {
                    body.write(new byte[64 * 1024]);
                }
            } catch (IOException e) {
                failure.set(e);
                failedAt.set(System.nanoTime());
                ended.countDown();
                throw e;
            }
        });
        Socket small = new Socket();
        small.setReceiveBufferSize(4096);
        RawHttp reader = new RawHttp(small, port);
        clients.add(reader);
        long sent = System.nanoTime();
        reader.send(RawHttp.get("/endless"));
        for (int i = 0; i < 3; i++) {
            assertThat(connect(port).send(RawHttp.get("/-/healthy")).read().status()).isEqualTo(200);
        }
        assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat((failedAt.get() - sent) / 1e9).isBetween(0.9, 2.5);
        assertThat(reader.closedWithin(5000)).isTrue();
    }

    @Test
    void smallBodiesAreReadAndDroppedOthersRefusedAndTheConnectionClosed() throws Exception {
        int port = listen(PATIENT);
        RawHttp http = connect(port);
        String body = "x".repeat(10_000);
        RawHttp.Response reload = http.send(RawHttp.request("POST", "/-/reload", "Content-Length: 10000") + body)
                .read();
        assertThat(reload.text()).isEqualTo("ok\napplied by a test\n");
        assertThat(http.send(RawHttp.get("/-/healthy")).read().status()).isEqualTo(200);

        RawHttp large = connect(port).send(RawHttp.request("POST", "/-/reload", "Content-Length: 100000")
                + "x".repeat(100_000));
        RawHttp.Response tooLarge = large.read();
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.header("Connection")).isEqualTo("close");
        assertThat(large.closedWithin(3000)).isTrue();

        RawHttp chunked = connect(port).send(RawHttp.request("POST", "/-/reload", "Transfer-Encoding: chunked")
                + "5\r\nhello\r\n0\r\n\r\n");
        RawHttp.Response lengthRequired = chunked.read();
        assertThat(lengthRequired.status()).isEqualTo(411);
        assertThat(lengthRequired.header("Connection")).isEqualTo("close");
        assertThat(chunked.closedWithin(3000)).isTrue();
    }

    @Test
    void expect100ContinueIsAnsweredAndOtherExpectationsRefused() throws Exception {
        int port = listen(PATIENT);
        RawHttp http = connect(port).send(RawHttp.request("POST", "/-/reload", "Content-Length: 5",
                "Expect: 100-continue"));
        assertThat(http.read().status()).isEqualTo(100);
        assertThat(http.send("hello").read().status()).isEqualTo(200);
        assertThat(http.send(RawHttp.get("/-/healthy", "Expect: 100-continue")).read().status()).isEqualTo(200);

        RawHttp odd = connect(port).send(RawHttp.get("/-/healthy", "Expect: the-unexpected"));
        assertThat(odd.read().status()).isEqualTo(417);
        assertThat(odd.closedWithin(3000)).isTrue();
    }

    @Test
    void requestsPastALimitAreAnsweredAndTheConnectionClosed() throws Exception {
        int port = listen(PATIENT);
        Map<String, Integer> cases = Map.of(
                "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414,
                "GET / HTTP/1.1\r\nHost: x\r\nX: " + "b".repeat(17_000) + "\r\n\r\n", 431,
                "GET / HTTP/1.1\r\nHost: x\r\n" + "X: y\r\n".repeat(101) + "\r\n", 431,
                "GET / HTTP/1.1\r\n\r\n", 400,
                "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n", 400,
                "GET / HTTP/3.0\r\nHost: x\r\n\r\n", 505);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            RawHttp http = connect(port).send(c.getKey());
            RawHttp.Response response = http.read();
            String what = c.getKey().substring(0, Math.min(30, c.getKey().length()));
            assertThat(response.status()).as(what).isEqualTo(c.getValue());
            assertThat(response.header("Connection")).as(what).isEqualTo("close");
            assertThat(response.header("Content-Type")).as(what).isEqualTo("text/plain; charset=utf-8");
            assertThat(response.text()).as(what).startsWith("bad request: ").endsWith("\n").hasLineCount(1);
            assertThat(http.closedWithin(3000)).as(what).isTrue();
        }
    }

    private static String gunzip(byte[] bytes) throws IOException {
        return new String(new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes(), StandardCharsets.UTF_8);
    }
}
