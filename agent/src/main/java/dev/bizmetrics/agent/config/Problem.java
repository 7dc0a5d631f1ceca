package dev.bizmetrics.agent.config;

/**
 * Something wrong with the configuration, with where it is and what to do about it. A problem that concerns the
 * agent's port ({@link #concernsHttp}) keeps the port from opening with settings weaker than those asked for.
 */
public final class Problem {
    private final String origin;
    private final String key;
    private final String message;
    private final boolean concernsHttp;

    public Problem(String origin, String key, String message) {
        this(origin, key, message, key == null || isHttpKey(key));
    }

    private Problem(String origin, String key, String message, boolean concernsHttp) {
        this.origin = origin;
        this.key = key;
        this.message = message;
        this.concernsHttp = concernsHttp;
    }

    static Problem at(Setting setting, String message) {
        return new Problem(setting.origin(), setting.key(), message);
    }

    /** A problem with a key that may have been meant as an {@code http.*} key (a misspelling of one, say). */
    static Problem concerningHttp(Setting setting, String message) {
        return new Problem(setting.origin(), setting.key(), message, true);
    }

    /** {@code http.port}, and anything spelled like the start of it ({@code HTTP.port}, {@code http_port}). */
    static boolean isHttpKey(String key) {
        return key.regionMatches(true, 0, "http", 0, 4);
    }

    public String origin() {
        return origin;
    }

    public String key() {
        return key;
    }

    public String message() {
        return message;
    }

    /**
     * True when the problem is in the file as a whole (unreadable, too large) or in a key that is, or may have been
     * meant as, one of {@code http.*}: the port's settings cannot be trusted then.
     */
    public boolean concernsHttp() {
        return concernsHttp;
    }

    @Override
    public String toString() {
        return origin + ": " + (key == null ? "" : key + ": ") + message;
    }
}
