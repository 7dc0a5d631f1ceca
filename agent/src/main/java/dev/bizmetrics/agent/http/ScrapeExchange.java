package dev.bizmetrics.agent.http;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code /metrics} request as client_java's {@code PrometheusScrapeHandler} sees it, so that format negotiation,
 * {@code name[]} filtering and gzip stay the client's. The body is rendered into memory and sent afterwards by
 * {@link #send}: rendering is CPU work done one scrape at a time, sending waits on the client, and a client that does
 * not read must hold up only its own connection. Failures are thrown back to the caller, with nothing sent yet.
 */
final class ScrapeExchange implements PrometheusHttpExchange {

    private final HttpRequest request;
    private final Map<String, String> headers = new LinkedHashMap<String, String>();
    private Body body;
    private int status;
    /** The handler's length: above 0 the body's, 0 unknown, -1 none (HEAD, with the GET's Content-Length set). */
    private int length;

    ScrapeExchange(HttpRequest request) {
        this.request = request;
    }

    /** Sends what the handler rendered. */
    void send(ResponseWriter writer) throws IOException {
        if (body == null) {
            throw new IOException("the scrape handler sent no response");
        }
        long bodyLength = length < 0 ? announcedLength() : body.size();
        body.writeTo(writer.begin(status, headers, bodyLength));
    }

    @Override
    public PrometheusHttpRequest getRequest() {
        return new PrometheusHttpRequest() {
            @Override
            public String getQueryString() {
                return request.query();
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return Collections.enumeration(request.headers(name));
            }

            @Override
            public String getMethod() {
                return request.method();
            }

            @Override
            public String getRequestPath() {
                return request.path();
            }
        };
    }

    @Override
    public PrometheusHttpResponse getResponse() {
        return new PrometheusHttpResponse() {
            @Override
            public void setHeader(String name, String value) {
                headers.put(name, value);
            }

            @Override
            public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
                if (body != null) {
                    throw new IllegalStateException("the response has begun already");
                }
                status = statusCode;
                length = contentLength;
                body = new Body(contentLength > 0 ? contentLength : 8192);
                return body;
            }
        };
    }

    /** For HEAD: the Content-Length the handler set for the GET it stands for. */
    private long announcedLength() {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase("Content-Length")) {
                try {
                    return request.isHead() ? Long.parseLong(header.getValue().trim()) : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    @Override
    public void handleException(IOException e) throws IOException {
        throw e;
    }

    @Override
    public void handleException(RuntimeException e) {
        throw e;
    }

    @Override
    public void close() {
        // nothing is open: the body is in memory until send()
    }

    /** The rendered body; its bytes go to the socket without another copy. */
    private static final class Body extends ByteArrayOutputStream {
        Body(int size) {
            super(size);
        }

        @Override
        public void close() {
            // the handler closes what it wrote to; the bytes stay for send()
        }
    }
}
