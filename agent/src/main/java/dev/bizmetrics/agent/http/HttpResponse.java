package dev.bizmetrics.agent.http;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A whole response known before it is sent: status, headers and body. Every page but {@code /metrics} is one. */
final class HttpResponse {

    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;

    private HttpResponse(int status, Map<String, String> headers, byte[] body) {
        this.status = status;
        this.headers = Collections.unmodifiableMap(headers);
        this.body = body;
    }

    /** Plain text in UTF-8: every answer that is not a page or metrics, errors included (never a stack trace). */
    static HttpResponse text(int status, String body) {
        return of(status, "text/plain; charset=utf-8", body);
    }

    static HttpResponse html(int status, String body) {
        return of(status, "text/html; charset=utf-8", body);
    }

    private static HttpResponse of(int status, String contentType, String body) {
        Map<String, String> headers = new LinkedHashMap<String, String>();
        headers.put("Content-Type", contentType);
        return new HttpResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** This response with one more header (or one replaced). */
    HttpResponse with(String name, String value) {
        Map<String, String> more = new LinkedHashMap<String, String>(headers);
        more.put(name, value);
        return new HttpResponse(status, more, body);
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    /** The body as it is; callers only write it out. */
    byte[] body() {
        return body;
    }
}
