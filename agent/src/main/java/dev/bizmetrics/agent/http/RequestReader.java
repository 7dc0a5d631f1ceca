package dev.bizmetrics.agent.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads one request's line and headers (RFC 9112), within the limits of {@link HttpLimits}. Strict where leniency
 * lets two parsers disagree about where a request ends (request smuggling): single spaces in the request line, no
 * whitespace before a header's colon, no line folding, one Content-Length, no Transfer-Encoding on a request.
 */
final class RequestReader {

    /** Empty lines tolerated before a request line (RFC 9112 section 2.2: a client may send one after a body). */
    private static final int MAX_LEADING_EMPTY_LINES = 4;

    private RequestReader() {
    }

    /** The next request, or null when the client closed the connection before sending a byte of one. */
    static HttpRequest read(InputStream in) throws IOException, BadRequest {
        String requestLine = null;
        for (int i = 0; i <= MAX_LEADING_EMPTY_LINES && (requestLine == null || requestLine.isEmpty()); i++) {
            requestLine = line(in, HttpLimits.MAX_REQUEST_LINE, 414, "the request line is longer than "
                    + HttpLimits.MAX_REQUEST_LINE + " bytes", i == 0);
            if (requestLine == null) {
                return null;
            }
        }
        if (requestLine.isEmpty()) {
            throw new BadRequest(400, "no request line");
        }
        int firstSpace = requestLine.indexOf(' ');
        int secondSpace = firstSpace < 0 ? -1 : requestLine.indexOf(' ', firstSpace + 1);
        if (firstSpace <= 0 || secondSpace < 0 || requestLine.indexOf(' ', secondSpace + 1) >= 0) {
            throw new BadRequest(400, "the request line is not METHOD TARGET VERSION");
        }
        String method = requestLine.substring(0, firstSpace);
        String target = requestLine.substring(firstSpace + 1, secondSpace);
        String version = requestLine.substring(secondSpace + 1);
        if (!isToken(method)) {
            throw new BadRequest(400, "the method is not a token");
        }
        boolean http11 = http11(version);
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new BadRequest(400, "the request target has a character a URI cannot have");
            }
        }
        String pathAndQuery = originForm(target);
        int hash = pathAndQuery.indexOf('#');
        if (hash >= 0) {
            pathAndQuery = pathAndQuery.substring(0, hash);
        }
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        String query = question < 0 ? null : pathAndQuery.substring(question + 1);

        List<String> names = new ArrayList<String>();
        List<String> values = new ArrayList<String>();
        int headerBytes = 0;
        while (true) {
            String line = line(in, HttpLimits.MAX_HEADER_BYTES - headerBytes, 431, "the headers are longer than "
                    + HttpLimits.MAX_HEADER_BYTES + " bytes", false);
            headerBytes += line.length() + 2;
            if (headerBytes > HttpLimits.MAX_HEADER_BYTES) {
                throw new BadRequest(431, "the headers are longer than " + HttpLimits.MAX_HEADER_BYTES + " bytes");
            }
            if (line.isEmpty()) {
                break;
            }
            if (names.size() == HttpLimits.MAX_HEADERS) {
                throw new BadRequest(431, "more than " + HttpLimits.MAX_HEADERS + " headers");
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                throw new BadRequest(400, "a header is folded over several lines");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new BadRequest(400, "a header line is not NAME: VALUE");
            }
            String value = trim(line.substring(colon + 1));
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw new BadRequest(400, "a header value has a control character");
                }
            }
            names.add(line.substring(0, colon).toLowerCase(Locale.ROOT));
            values.add(value);
        }
        int hosts = count(names, "host");
        if (hosts > 1 || (http11 && hosts == 0)) {
            throw new BadRequest(400, "an HTTP/1.1 request needs exactly one Host header");
        }
        return new HttpRequest(method, path, query, http11, names, values, bodyLength(names, values));
    }

    private static boolean http11(String version) throws BadRequest {
        if (version.equals("HTTP/1.1")) {
            return true;
        }
        if (version.equals("HTTP/1.0")) {
            return false;
        }
        if (version.length() == 8 && version.startsWith("HTTP/") && Character.isDigit(version.charAt(5))
                && version.charAt(6) == '.' && Character.isDigit(version.charAt(7))) {
            throw new BadRequest(505, "only HTTP/1.0 and HTTP/1.1 are served");
        }
        throw new BadRequest(400, "the request line does not end with an HTTP version");
    }

    /** The path and query of an origin-form target, of an absolute-form one (RFC 9112 3.2.2), or {@code *}. */
    private static String originForm(String target) throws BadRequest {
        if (target.startsWith("/") || target.equals("*")) {
            return target;
        }
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            int slash = target.indexOf('/', lower.indexOf("//") + 2);
            int question = target.indexOf('?', lower.indexOf("//") + 2);
            if (slash < 0 || (question >= 0 && question < slash)) {
                return "/" + (question < 0 ? "" : target.substring(question));
            }
            return target.substring(slash);
        }
        throw new BadRequest(400, "the request target is neither a path nor an absolute URI");
    }

    /**
     * The body's length. Bodies are read only to be thrown away, so only a small one with Content-Length is taken;
     * a chunked one is refused rather than parsed.
     */
    private static int bodyLength(List<String> names, List<String> values) throws BadRequest {
        boolean chunked = names.contains("transfer-encoding");
        String length = null;
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals("content-length")) {
                for (String part : values.get(i).split(",", -1)) {
                    String v = trim(part);
                    if (v.isEmpty() || v.length() > 18 || !digits(v) || (length != null && !length.equals(v))) {
                        throw new BadRequest(400, "the Content-Length is not one number");
                    }
                    length = v;
                }
            }
        }
        if (chunked) {
            if (length != null) {
                throw new BadRequest(400, "a request has both Transfer-Encoding and Content-Length");
            }
            throw new BadRequest(411, "Transfer-Encoding is not accepted on a request; send a Content-Length");
        }
        if (length == null) {
            return 0;
        }
        long n = Long.parseLong(length);
        if (n > HttpLimits.MAX_BODY) {
            throw new BadRequest(413, "the request body is larger than " + HttpLimits.MAX_BODY + " bytes");
        }
        return (int) n;
    }

    /**
     * One line without its CRLF (a bare LF is taken too), as ISO-8859-1; null at the end of the stream before
     * its first byte when {@code endAllowed}. More than {@code max} bytes is a {@link BadRequest} with the status.
     */
    private static String line(InputStream in, int max, int status, String tooLong, boolean endAllowed)
            throws IOException, BadRequest {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (endAllowed && line.length() == 0) {
                    return null;
                }
                throw new EOFException("the client closed the connection within a request");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                throw new BadRequest(400, "a CR that does not end a line");
            }
            if (line.length() >= max + 1) { // + 1: room for the CR of CRLF
                throw new BadRequest(status, tooLong);
            }
            line.append((char) b);
            endAllowed = false;
        }
    }

    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphaNumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphaNumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
            end--;
        }
        return text.substring(start, end);
    }

    private static int count(List<String> names, String name) {
        int n = 0;
        for (String each : names) {
            if (each.equals(name)) {
                n++;
            }
        }
        return n;
    }
}
