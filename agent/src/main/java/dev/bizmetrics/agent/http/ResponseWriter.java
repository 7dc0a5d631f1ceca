package dev.bizmetrics.agent.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import dev.bizmetrics.agent.log.UtcTime;

import java.util.Map;

/**
 * Writes one response on a connection: the status line, the headers every response of ours carries, and a body of
 * known length, chunked (HTTP/1.1) or ended by closing the connection (HTTP/1.0). Decides, when the head goes out,
 * whether the connection stays open after it, and says so in the head.
 */
final class ResponseWriter {

    /** Headers this writer owns; a handler's own values for them are ignored. */
    private static final String[] OWN_HEADERS = {"content-length", "transfer-encoding", "connection", "date",
            "x-content-type-options", "cache-control"};

    /** Something the host's code cannot get wrong for us: on every response, whatever path and status. */
    private static final String ALWAYS = "X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n";

    /** Answers to a 100-continue: the client may send its body. */
    static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** Read when the head is written: true when the connection should close after this response anyway. */
    interface CloseAfter {
        boolean now();
    }

    private final OutputStream out;
    private final boolean head;
    private final boolean http11;
    private final CloseAfter closeAfter;
    private boolean keepAlive;
    private Body body;

    /**
     * @param out        the connection's buffered output; flushed when the response is finished
     * @param request    what the response answers: its method and version shape the response
     * @param keepAlive  whether the connection may stay open after the response (the request's wish and ours)
     * @param closeAfter asked once, when the head is written
     */
    ResponseWriter(OutputStream out, HttpRequest request, boolean keepAlive, CloseAfter closeAfter) {
        this.out = out;
        this.head = request != null && request.isHead();
        this.http11 = request == null || request.isHttp11();
        this.keepAlive = keepAlive;
        this.closeAfter = closeAfter;
    }

    /** True once the head is written: from then on the status cannot change, and a failure can only close. */
    boolean isCommitted() {
        return body != null;
    }

    /** True when the connection may carry another request after this response. */
    boolean keepsAlive() {
        return keepAlive;
    }

    /** The whole response at once. */
    void send(HttpResponse response) throws IOException {
        OutputStream stream = begin(response.status(), response.headers(), response.body().length);
        stream.write(response.body());
    }

    /**
     * Writes the head and returns the stream for the body.
     *
     * @param length the body's length, or -1 when unknown until it is written (then chunked or close-delimited)
     */
    OutputStream begin(int status, Map<String, String> headers, long length) throws IOException {
        if (body != null) {
            throw new IllegalStateException("the response has begun already");
        }
        StringBuilder text = new StringBuilder(256);
        text.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        text.append("Date: ").append(now()).append("\r\n");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (!isOwn(header.getKey())) {
                text.append(clean(header.getKey())).append(": ").append(clean(header.getValue())).append("\r\n");
            }
        }
        text.append(ALWAYS);
        boolean chunked = false;
        if (length >= 0) {
            text.append("Content-Length: ").append(length).append("\r\n");
        } else if (http11) {
            text.append("Transfer-Encoding: chunked\r\n");
            chunked = true;
        } else if (!head) {
            keepAlive = false; // an HTTP/1.0 client learns where the body ends only from the connection's end
        }
        if (keepAlive && closeAfter.now()) {
            keepAlive = false;
        }
        if (!keepAlive) {
            text.append("Connection: close\r\n");
        } else if (!http11) {
            text.append("Connection: keep-alive\r\n");
        }
        text.append("\r\n");
        out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (head) {
            body = new Discarded();
        } else if (length >= 0) {
            body = new Fixed(out, length);
        } else if (chunked) {
            body = new Chunked(out);
        } else {
            body = new Delimited(out);
        }
        return body;
    }

    /**
     * Ends the body and sends what is buffered. A body shorter than announced cannot be completed: that is an
     * IOException, and the connection must close.
     */
    void finish() throws IOException {
        if (body == null) {
            throw new IllegalStateException("nothing was sent");
        }
        body.end();
        out.flush();
    }

    private static boolean isOwn(String name) {
        for (String own : OWN_HEADERS) {
            if (own.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Our own values only, but a CR or LF in one must never start a header of its own. */
    private static String clean(String text) {
        return text.replace('\r', ' ').replace('\n', ' ');
    }

    private static String now() {
        return UtcTime.http(System.currentTimeMillis());
    }

    static String reason(int status) {
        switch (status) {
            case 200:
                return "OK";
            case 400:
                return "Bad Request";
            case 401:
                return "Unauthorized";
            case 404:
                return "Not Found";
            case 405:
                return "Method Not Allowed";
            case 411:
                return "Length Required";
            case 413:
                return "Content Too Large";
            case 414:
                return "URI Too Long";
            case 417:
                return "Expectation Failed";
            case 431:
                return "Request Header Fields Too Large";
            case 500:
                return "Internal Server Error";
            case 503:
                return "Service Unavailable";
            case 505:
                return "HTTP Version Not Supported";
            default:
                return "Status " + status;
        }
    }

    /** A body; {@link #close()} does not end it (a handler closing its stream has not said the response is whole). */
    private abstract static class Body extends OutputStream {
        private boolean ended;

        @Override
        public final void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public final void write(byte[] bytes, int offset, int length) throws IOException {
            if (ended) {
                throw new IOException("the response is finished");
            }
            if (length > 0) {
                take(bytes, offset, length);
            }
        }

        @Override
        public void close() {
            // see the class comment
        }

        final void end() throws IOException {
            if (!ended) {
                ended = true;
                complete();
            }
        }

        abstract void take(byte[] bytes, int offset, int length) throws IOException;

        abstract void complete() throws IOException;
    }

    private static final class Fixed extends Body {
        private final OutputStream out;
        private long left;

        Fixed(OutputStream out, long length) {
            this.out = out;
            this.left = length;
        }

        @Override
        void take(byte[] bytes, int offset, int length) throws IOException {
            if (length > left) {
                throw new IOException("the body is longer than its Content-Length");
            }
            out.write(bytes, offset, length);
            left -= length;
        }

        @Override
        void complete() throws IOException {
            if (left != 0) {
                throw new IOException("the body ended " + left + " bytes short of its Content-Length");
            }
        }
    }

    /** Chunks of up to 8 KiB: small writes (a text format writes line by line) are gathered first. */
    private static final class Chunked extends Body {
        private final OutputStream out;
        private final byte[] buffer = new byte[8192];
        private int size;

        Chunked(OutputStream out) {
            this.out = out;
        }

        @Override
        void take(byte[] bytes, int offset, int length) throws IOException {
            if (size + length > buffer.length) {
                chunk(buffer, 0, size);
                size = 0;
            }
            if (length >= buffer.length) {
                chunk(bytes, offset, length);
            } else {
                System.arraycopy(bytes, offset, buffer, size, length);
                size += length;
            }
        }

        @Override
        void complete() throws IOException {
            chunk(buffer, 0, size);
            out.write(new byte[] {'0', '\r', '\n', '\r', '\n'});
        }

        private void chunk(byte[] bytes, int offset, int length) throws IOException {
            if (length > 0) {
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(bytes, offset, length);
                out.write('\r');
                out.write('\n');
            }
        }
    }

    /** HTTP/1.0 with no length: the body ends where the connection does. */
    private static final class Delimited extends Body {
        private final OutputStream out;

        Delimited(OutputStream out) {
            this.out = out;
        }

        @Override
        void take(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        void complete() {
            // the connection's close ends it
        }
    }

    /** HEAD: the head as for GET, no body. */
    private static final class Discarded extends Body {
        @Override
        void take(byte[] bytes, int offset, int length) {
            // not sent
        }

        @Override
        void complete() {
            // nothing to end
        }
    }
}
