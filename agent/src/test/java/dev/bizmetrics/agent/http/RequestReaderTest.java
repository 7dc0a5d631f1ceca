package dev.bizmetrics.agent.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Request line and headers: what is read, and each limit with the status that answers it. */
class RequestReaderTest {

    @Test
    void readsMethodPathQueryVersionAndHeaders() throws Exception {
        HttpRequest request = read("GET /metrics?name[]=a&name[]=b HTTP/1.1\r\nHost: x\r\nAccept-Encoding:  gzip \r\n"
                + "X-Two: 1\r\nx-two: 2\r\n\r\n");
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/metrics");
        assertThat(request.query()).isEqualTo("name[]=a&name[]=b");
        assertThat(request.isHttp11()).isTrue();
        assertThat(request.header("accept-encoding")).isEqualTo("gzip");
        assertThat(request.headers("X-TWO")).containsExactly("1", "2");
        assertThat(request.header("missing")).isNull();
        assertThat(request.bodyLength()).isZero();
        assertThat(request.wantsKeepAlive()).isTrue();
    }

    @Test
    void absoluteFormTargetsAndFragmentsComeDownToThePath() throws Exception {
        assertThat(read("GET http://h:1/metrics?x=1 HTTP/1.1\r\nHost: h\r\n\r\n").path()).isEqualTo("/metrics");
        assertThat(read("GET HTTPS://h HTTP/1.1\r\nHost: h\r\n\r\n").path()).isEqualTo("/");
        assertThat(read("GET http://h?q HTTP/1.1\r\nHost: h\r\n\r\n").query()).isEqualTo("q");
        assertThat(read("GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n").path()).isEqualTo("/a");
        assertThat(read("GET / HTTP/1.1\r\nHost: h\r\n\r\n").query()).isNull();
    }

    @Test
    void bareLineFeedsAndLeadingEmptyLinesAreTolerated() throws Exception {
        assertThat(read("\r\n\r\nGET / HTTP/1.0\n\n").path()).isEqualTo("/");
    }

    @Test
    void keepAliveFollowsTheVersionAndConnectionHeader() throws Exception {
        assertThat(read("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").wantsKeepAlive()).isFalse();
        assertThat(read("GET / HTTP/1.1\r\nHost: h\r\nConnection: Keep-Alive, CLOSE\r\n\r\n").wantsKeepAlive())
                .isFalse();
        assertThat(read("GET / HTTP/1.0\r\n\r\n").wantsKeepAlive()).isFalse();
        assertThat(read("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").wantsKeepAlive()).isTrue();
    }

    @Test
    void theEndOfTheStreamBeforeARequestIsNoRequestAndWithinOneIsAnError() throws Exception {
        assertThat(RequestReader.read(stream(""))).isNull();
        assertThatThrownBy(() -> read("GET /metr")).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read("GET / HTTP/1.1\r\nHost: h\r\n")).isInstanceOf(EOFException.class);
    }

    @Test
    void theRequestLineMayBe8KiB() throws Exception {
        String path = "/" + "a".repeat(HttpLimits.MAX_REQUEST_LINE - "GET / HTTP/1.1".length());
        assertThat(read("GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n").path()).isEqualTo(path);
        refused("GET " + path + "a HTTP/1.1\r\nHost: h\r\n\r\n", 414);
        refused("GET /" + "a".repeat(1 << 20), 414); // no line end ever: refused at the limit, not buffered
    }

    @Test
    void headersMayBe16KiBAnd100() throws Exception {
        StringBuilder hundred = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
        for (int i = 1; i < HttpLimits.MAX_HEADERS; i++) {
            hundred.append("X-").append(i).append(": v\r\n");
        }
        assertThat(read(hundred + "\r\n").headers("x-99")).containsExactly("v");
        refused(hundred + "X-100: v\r\n\r\n", 431);

        String big = "X-Big: " + "b".repeat(HttpLimits.MAX_HEADER_BYTES - "X-Big: \r\nHost: h\r\n\r\n".length());
        assertThat(read("GET / HTTP/1.1\r\nHost: h\r\n" + big + "\r\n\r\n").header("x-big")).startsWith("bbb");
        refused("GET / HTTP/1.1\r\nHost: h\r\n" + big + "b\r\n\r\n", 431);
        refused("GET / HTTP/1.1\r\nX: " + "b".repeat(1 << 20), 431);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /\r\n\r\n",                                  // HTTP/0.9
            "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",             // two spaces
            "GET / HTTP/1.1 extra\r\nHost: h\r\n\r\n",
            "G(T / HTTP/1.1\r\nHost: h\r\n\r\n",              // not a token
            "GET / FTP/1.1\r\nHost: h\r\n\r\n",
            "GET metrics HTTP/1.1\r\nHost: h\r\n\r\n",        // not a path
            "GET /\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n",        // not ASCII
            "GET / HTTP/1.1\r\n\r\n",                         // no Host
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost : h\r\n\r\n",             // space before the colon
            "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n",// folded
            "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nX: a\u0000b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\rX: smuggled\r\n\r\n", // bare CR
            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 2\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
    })
    void malformedRequestsAre400(String request) {
        refused(request, 400);
    }

    @Test
    void otherVersionsAre505() {
        refused("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505);
        refused("GET / HTTP/0.9\r\nHost: h\r\n\r\n", 505);
    }

    @Test
    void bodiesAreTakenOnlyWithAContentLengthOfAtMost64KiB() throws Exception {
        assertThat(read("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 65536\r\n\r\n").bodyLength()).isEqualTo(65536);
        assertThat(read("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 7, 7\r\n\r\n").bodyLength()).isEqualTo(7);
        refused("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 65537\r\n\r\n", 413);
        refused("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n", 400);
        refused("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 411);
    }

    @Test
    void headerValuesKeepTheirBytes() throws Exception {
        byte[] bytes = "GET / HTTP/1.1\r\nHost: h\r\nX: \u00ff\u00fe\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        HttpRequest request = RequestReader.read(new ByteArrayInputStream(bytes));
        assertThat(request.header("x").getBytes(StandardCharsets.ISO_8859_1)).containsExactly(0xff, 0xfe);
        assertThat(List.of(request.method(), request.path())).containsExactly("GET", "/");
    }

    private static HttpRequest read(String text) throws Exception {
        return RequestReader.read(stream(text));
    }

    private static void refused(String text, int status) {
        assertThatThrownBy(() -> read(text)).isInstanceOfSatisfying(BadRequest.class,
                e -> assertThat(e.status()).as(e.getMessage()).isEqualTo(status));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
