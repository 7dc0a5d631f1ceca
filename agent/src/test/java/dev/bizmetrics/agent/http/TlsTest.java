package dev.bizmetrics.agent.http;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS: TLS 1.2 and 1.3 only, and the handshake under the header deadline however the client stalls it. */
class TlsTest {

    private static final HttpLimits FAST = new HttpLimits(HttpLimits.MAX_CONNECTIONS, 1000, 1000, 1000, 300);

    @TempDir
    static Path dir;
    private static HttpListener listener;
    private static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("metrics.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-alias", "agent", "-keyalg", "EC", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        Routes routes = new Routes(null, new PrometheusScrapeHandler(PrometheusProperties.builder().build(),
                TestServers.registry(0)), new AgentPages(new FakeView(), TestServers.reloader()));
        listener = new HttpListener(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                Tls.fromKeystore(keystore.toString(), "changeit"), FAST, routes);
        listener.start();

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, trust.getTrustManagers(), null);
    }

    @AfterAll
    static void stop() {
        listener.close();
    }

    @Test
    void servesTls12And13AndNothingOlder() throws Exception {
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            SSLParameters parameters = new SSLParameters();
            parameters.setProtocols(new String[] {protocol});
            HttpClient https = HttpClient.newBuilder().sslContext(trusting).sslParameters(parameters).build();
            HttpResponse<String> response = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                    + listener.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(protocol).isEqualTo(200);
            assertThat(response.body()).contains("test_gauge 42.0");
        }
        try (SSLSocket old = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", listener.port())) {
            old.setEnabledProtocols(new String[] {"TLSv1.1"});
            old.setSoTimeout(3000);
            assertThatThrownBy(old::startHandshake).isInstanceOf(IOException.class);
        } catch (IllegalArgumentException e) {
            // this JVM no longer knows TLS 1.1 at all: nothing to refuse
        }
    }

    @Test
    void aHandshakeThatStallsOrTricklesIsCutAtTheHeaderDeadline() throws Exception {
        byte[] hello = clientHello();
        try (RawHttp silent = new RawHttp(listener.port());
             RawHttp half = new RawHttp(listener.port()).send(Arrays.copyOf(hello, hello.length / 2));
             RawHttp trickle = new RawHttp(listener.port())) {
            long start = System.nanoTime();
            boolean cut = false;
            for (int i = 0; i < hello.length && !cut; i++) {
                try {
                    trickle.send(new byte[] {hello[i]}); // a byte each 50 ms: every read is quick, the sum is not
                    cut = trickle.closedWithin(50);
                } catch (IOException e) {
                    cut = true;
                }
            }
            assertThat(cut).isTrue();
            assertThat(silent.closedWithin(100)).isTrue();
            assertThat(half.closedWithin(100)).isTrue();
            assertThat((System.nanoTime() - start) / 1e9).isBetween(0.8, 2.0);
        }
    }

    @Test
    void aRequestThatStallsAfterTheHandshakeIsCutAtTheHeaderDeadline() throws Exception {
        long start = System.nanoTime(); // the deadline runs from the connection's start, the handshake included
        try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", listener.port())) {
            socket.startHandshake();
            socket.getOutputStream().write("GET /metr".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.setSoTimeout(3000);
            try {
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            } catch (IOException e) {
                // a reset is an end too
            }
            assertThat((System.nanoTime() - start) / 1e9).isBetween(0.8, 2.0);
        }
    }

    @Test
    void plainHttpOnTheHttpsPortGetsNoHttpAnswer() throws Exception {
        try (RawHttp plain = new RawHttp(listener.port())) {
            plain.send(RawHttp.get("/metrics"));
            byte[] answer = plain.socket().getInputStream().readNBytes(5);
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotStartWith("HTTP");
            assertThat(plain.closedWithin(2000)).isTrue();
        }
    }

    /** The first flight of a real TLS client, as bytes. */
    private static byte[] clientHello() throws Exception {
        SSLEngine engine = trusting.createSSLEngine("127.0.0.1", 1);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }
}
