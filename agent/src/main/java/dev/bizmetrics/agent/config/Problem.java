package dev.bizmetrics.agent.config;

/** Something wrong with the configuration, with where it is and what to do about it. */
public final class Problem {
    private final String origin;
    private final String key;
    private final String message;

    public Problem(String origin, String key, String message) {
        this.origin = origin;
        this.key = key;
        this.message = message;
    }

    static Problem at(Setting setting, String message) {
        return new Problem(setting.origin(), setting.key(), message);
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

    @Override
    public String toString() {
        return origin + ": " + (key == null ? "" : key + ": ") + message;
    }
}
