package dev.bizmetrics.agent.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One request's line and headers, as read. Header names are kept in lower case (they are case-insensitive); values
 * are the bytes as ISO-8859-1 characters, so nothing is lost before a header is decoded by the one who reads it.
 */
final class HttpRequest {

    private final String method;
    private final String path;
    private final String query;
    private final boolean http11;
    private final List<String> names;
    private final List<String> values;
    private final int bodyLength;

    HttpRequest(String method, String path, String query, boolean http11, List<String> names, List<String> values,
                int bodyLength) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.http11 = http11;
        this.names = Collections.unmodifiableList(new ArrayList<String>(names));
        this.values = Collections.unmodifiableList(new ArrayList<String>(values));
        this.bodyLength = bodyLength;
    }

    String method() {
        return method;
    }

    boolean isHead() {
        return method.equals("HEAD");
    }

    boolean isGetOrHead() {
        return method.equals("GET") || method.equals("HEAD");
    }

    /** The path of the request target, as sent (not percent-decoded). */
    String path() {
        return path;
    }

    /** The raw query string without the {@code ?}, or null when there is none. */
    String query() {
        return query;
    }

    /** HTTP/1.1; otherwise HTTP/1.0. */
    boolean isHttp11() {
        return http11;
    }

    /** The body's length from {@code Content-Length}; 0 when there is none. */
    int bodyLength() {
        return bodyLength;
    }

    /** The first value of the header, or null. */
    String header(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(key)) {
                return values.get(i);
            }
        }
        return null;
    }

    /** Every value of the header, in order; empty when there is none. */
    List<String> headers(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<String>(1);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(key)) {
                found.add(values.get(i));
            }
        }
        return found;
    }

    /** What the client asked for: HTTP/1.1 keeps the connection unless told to close, HTTP/1.0 only when asked. */
    boolean wantsKeepAlive() {
        boolean close = false;
        boolean keepAlive = false;
        for (String value : headers("connection")) {
            for (String token : value.split(",")) {
                String t = token.trim();
                close |= t.equalsIgnoreCase("close");
                keepAlive |= t.equalsIgnoreCase("keep-alive");
            }
        }
        return !close && (http11 || keepAlive);
    }
}
