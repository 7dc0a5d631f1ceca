package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.H2Tcp;
import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.ShopDatabase;
import dev.bizmetrics.agent.it.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that stall or do not read, against a real host with the packaged agent: none of them may silence the
 * agent's port for the others, each is closed by the agent after its deadline, and the host works on throughout.
 * The bounds asserted are functional (a scrape answers at all within 2 s, a stalled client is gone within 8 s),
 * not benchmarks.
 */
class SlowClientsIT {

    private static final String CONFIG = """
            http.host=127.0.0.1
            metric.shop_orders_seen.sql=SELECT COUNT(*) AS n FROM orders
            metric.shop_orders_seen.interval=1s
            """;

    /** The issue: {@code GET /metr} and silence, from 5 connections, used to block every scrape for ~60 s. */
    @Test
    void clientsThatStallMidRequestNeitherSilenceThePortNorStayOpen(@TempDir Path dir) throws Exception {
        ShopDatabase db = new ShopDatabase(H2Tcp.newDatabase("slow"), "sa", "");
        try (HostProcess host = shop(TestConfigs.write(dir, CONFIG), db)) {
            int port = host.awaitMetricsPort();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Progress before = Progress.of(db, Scrape.until(port, m -> m.containsKey("shop_orders_seen"),
                    Duration.ofSeconds(30)));

            List<Stalled> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    stalled.add(Stalled.plain(port, "GET /metr"));
                }
                Thread.sleep(300);
                assertScrapeWithinTwoSeconds(client, URI.create("http://127.0.0.1:" + port + "/metrics"));
                for (Stalled s : stalled) {
                    s.assertClosedByTheAgent();
                }
            } finally {
                Stalled.closeAll(stalled);
            }
            Progress.of(db, Scrape.metrics(port)).assertAdvancedFrom(before);
            assertThat(host.output()).noneMatch(line -> line.contains("Exception") || line.contains("[bizmetrics] error"));
        }
    }

    @Test
    void overHttpsStalledHandshakesAndHalfRequestsNeitherSilenceThePortNorStayOpen(@TempDir Path dir)
            throws Exception {
        Path keystore = keystore(dir);
        ShopDatabase db = new ShopDatabase(H2Tcp.newDatabase("slow_tls"), "sa", "");
        Path config = TestConfigs.write(dir, CONFIG + "http.tls.keystore=" + keystore
                + "\nhttp.tls.keystore-password=changeit\n");
        try (HostProcess host = shop(config, db)) {
            String line = host.awaitLine(l -> l.contains("[bizmetrics] info serving https://127.0.0.1:"),
                    Duration.ofSeconds(20));
            int port = Integer.parseInt(line.replaceAll(".*:(\\d+)/metrics.*", "$1"));
            SSLContext trusting = trusting(keystore);
            HttpClient client = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(2))
                    .build();
            URI metrics = URI.create("https://127.0.0.1:" + port + "/metrics");
            Progress before = Progress.of(db, awaitMetric(client, metrics));

            byte[] hello = clientHello(trusting);
            List<Stalled> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    stalled.add(Stalled.plain(port, "")); // a TCP connection and not a byte of TLS
                }
                for (int i = 0; i < 3; i++) {
                    stalled.add(Stalled.bytes(port, Arrays.copyOf(hello, hello.length / 2)));
                }
                for (int i = 0; i < 2; i++) {
                    stalled.add(Stalled.tls(trusting, port, "GET /metr"));
                }
                Thread.sleep(300);
                assertScrapeWithinTwoSeconds(client, metrics);
                for (Stalled s : stalled) {
                    s.assertClosedByTheAgent();
                }
            } finally {
                Stalled.closeAll(stalled);
            }
            Progress.of(db, awaitMetric(client, metrics)).assertAdvancedFrom(before);
        }
    }

    /**
     * A client that asks for /metrics again and again (pipelined) and reads nothing, with a small receive buffer: the
     * agent's writes block, and the write deadline cuts the connection. Meanwhile every other scrape is answered.
     */
    @Test
    void aClientThatDoesNotReadIsCutAfterTheWriteDeadlineAndDoesNotStopOtherScrapes(@TempDir Path dir)
            throws Exception {
        ShopDatabase db = new ShopDatabase(H2Tcp.newDatabase("slow_reader"), "sa", "");
        Path config = TestConfigs.write(dir, CONFIG + """
                metric.wide.sql=SELECT 'label-' || X AS label, X AS v FROM SYSTEM_RANGE(1, 5000)
                metric.wide.interval=1m
                """);
        try (HostProcess host = shop(config, db)) {
            int port = host.awaitMetricsPort();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Progress before = Progress.of(db, Scrape.until(port, m -> m.containsKey("shop_orders_seen")
                    && m.containsKey("wide{label=\"label-5000\"}"), Duration.ofSeconds(30)));
            int pipelined = 200;

            try (Socket reader = new Socket()) {
                reader.setReceiveBufferSize(4096);
                reader.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                String request = "GET /metrics HTTP/1.1\r\nHost: agent\r\n\r\n";
                reader.getOutputStream().write(request.repeat(pipelined).getBytes(StandardCharsets.US_ASCII));
                reader.getOutputStream().flush();
                long sent = System.nanoTime();
                double cutAfter = -1;
                while ((System.nanoTime() - sent) / 1e9 < 45) {
                    assertScrapeWithinTwoSeconds(client, URI.create("http://127.0.0.1:" + port + "/metrics"));
                    if (!established(reader.getLocalPort(), port)) {
                        cutAfter = (System.nanoTime() - sent) / 1e9;
                        break;
                    }
                    Thread.sleep(1000);
                }
                System.out.printf("the agent cut the client that does not read after %.1f s%n", cutAfter);
                assertThat(cutAfter).as("seconds until the agent cut the connection").isBetween(25.0, 40.0);
                // What was written before the cut is there to read, then the reset; far from all 200 responses.
                assertThat(countResponses(reader.getInputStream())).isLessThan(pipelined);
            }
            Progress.of(db, Scrape.metrics(port)).assertAdvancedFrom(before);
        }
    }

    private static void assertScrapeWithinTwoSeconds(HttpClient client, URI uri) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("bizmetrics_build_info");
        assertThat(seconds).as("seconds to scrape").isLessThan(2.0);
    }

    private static Map<String, Double> awaitMetric(HttpClient client, URI metrics) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String body = client.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                if (line.startsWith("shop_orders_seen ")) {
                    double runs = 0;
                    for (String l : body.split("\n")) {
                        if (l.startsWith("bizmetrics_query_runs_total{query=\"shop_orders_seen\",result=\"success\"}")) {
                            runs = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                        }
                    }
                    return Map.of("shop_orders_seen", Double.parseDouble(line.substring(line.indexOf(' ') + 1)),
                            "bizmetrics_query_runs_total{query=\"shop_orders_seen\",result=\"success\"}", runs);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("shop_orders_seen never appeared: " + body);
            }
            Thread.sleep(200);
        }
    }

    /** Whether the kernel still has the client's connection to the agent established (/proc/net/tcp, tcp6). */
    private static boolean established(int localPort, int remotePort) throws IOException {
        String local = String.format(":%04X", localPort);
        String remote = String.format(":%04X", remotePort);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] fields = line.trim().split("\\s+");
                if (fields[1].endsWith(local) && fields[2].endsWith(remote)) {
                    return fields[3].equals("01");
                }
            }
        }
        return false;
    }

    private static int countResponses(InputStream in) {
        byte[] buffer = new byte[65536];
        byte[] marker = "HTTP/1.1 200".getBytes(StandardCharsets.US_ASCII);
        int count = 0;
        int matched = 0;
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    matched = buffer[i] == marker[matched] ? matched + 1 : buffer[i] == marker[0] ? 1 : 0;
                    if (matched == marker.length) {
                        count++;
                        matched = 0;
                    }
                }
            }
        } catch (IOException e) {
            // the reset after the data
        }
        return count;
    }

    private static HostProcess shop(Path config, ShopDatabase db) throws IOException {
        return HostProcess.startShop(HostProcess.JAVA_17, List.of(HostProcess.agentFlag("config=" + config
                + ",http.port=0")), List.of("--jdbc-url", db.url(), "--rate", "20"));
    }

    private static Path keystore(Path dir) throws Exception {
        Path keystore = dir.resolve("metrics.p12");
        Process keytool = new ProcessBuilder(HostProcess.JAVA_17.resolveSibling("keytool").toString(), "-genkeypair",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit", "-alias", "agent",
                "-keyalg", "EC", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2")
                .redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        return keystore;
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** The first flight of a real TLS client, as bytes. */
    private static byte[] clientHello(SSLContext context) throws Exception {
        SSLEngine engine = context.createSSLEngine("127.0.0.1", 1);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    /** How far the host and the agent have got: the orders the shop wrote, and the agent's runs of its query. */
    record Progress(long orders, double seen, double runs) {
        static Progress of(ShopDatabase db, Map<String, Double> scrape) throws Exception {
            return new Progress(db.count("SELECT COUNT(*) FROM orders"), scrape.get("shop_orders_seen"),
                    scrape.get("bizmetrics_query_runs_total{query=\"shop_orders_seen\",result=\"success\"}"));
        }

        void assertAdvancedFrom(Progress before) {
            assertThat(orders).as("orders the shop wrote").isGreaterThan(before.orders);
            assertThat(seen).as("orders the agent saw").isGreaterThan(before.seen);
            assertThat(runs).as("the agent's query runs").isGreaterThan(before.runs);
        }
    }

    /** A connection that sent some bytes and then nothing, opened at a known time. */
    private record Stalled(Socket socket, long openedNanos) {

        static Stalled plain(int port, String text) throws IOException {
            return bytes(port, text.getBytes(StandardCharsets.US_ASCII));
        }

        static Stalled bytes(int port, byte[] bytes) throws IOException {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            long opened = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            return new Stalled(socket, opened);
        }

        static Stalled tls(SSLContext context, int port, String text) throws IOException {
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            long opened = System.nanoTime();
            socket.setSoTimeout(5000);
            socket.startHandshake();
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new Stalled(socket, opened);
        }

        /** The agent ends it (end of stream or reset, after what it sent, e.g. a TLS alert) about 5 s after it opened. */
        void assertClosedByTheAgent() throws IOException {
            InputStream in = socket.getInputStream();
            byte[] scratch = new byte[4096];
            boolean ended = false;
            try {
                while (!ended) {
                    long left = 8000 - (System.nanoTime() - openedNanos) / 1_000_000;
                    if (left <= 0) {
                        break;
                    }
                    socket.setSoTimeout((int) left);
                    ended = in.read(scratch) < 0;
                }
            } catch (SocketTimeoutException e) {
                ended = false;
            } catch (IOException e) {
                ended = true; // a reset, or TLS saying the peer went away
            }
            double seconds = (System.nanoTime() - openedNanos) / 1e9;
            assertThat(ended).as("closed by the agent within 8 s of opening (%.1f s)", seconds).isTrue();
            assertThat(seconds).as("seconds until the agent closed it").isGreaterThan(4.0);
        }

        static void closeAll(List<Stalled> stalled) throws IOException {
            for (Stalled s : stalled) {
                s.socket.close();
            }
        }
    }
}
