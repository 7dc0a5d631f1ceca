package dev.bizmetrics.agent.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in the config: {@code 500ms}, {@code 15s}, {@code 1m}, {@code 2h}. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {
    }

    /** Milliseconds, or -1 when the text is not a duration. */
    static long parseMillis(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return -1;
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2);
        if (unit.equals("ms")) {
            return amount;
        }
        if (unit.equals("s")) {
            return amount * 1000L;
        }
        return unit.equals("m") ? amount * 60_000L : amount * 3_600_000L;
    }

    /** The shortest exact form, e.g. {@code 90s}, {@code 2m}, {@code 500ms}. */
    public static String format(long millis) {
        if (millis % 3_600_000L == 0 && millis > 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis % 60_000L == 0 && millis > 0) {
            return millis / 60_000L + "m";
        }
        if (millis % 1000L == 0) {
            return millis / 1000L + "s";
        }
        return millis + "ms";
    }
}
