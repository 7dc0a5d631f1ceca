package dev.bizmetrics.agent.log;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The agent's only logger: {@code [bizmetrics] LEVEL message} lines on stderr. No logging framework and no
 * {@code java.util.logging}, which would initialise the host's LogManager before the host configures it.
 * The level is process-wide because it is set once from the configuration and read from every agent thread.
 */
public final class Log {

    /** Levels in increasing verbosity. */
    public enum Level {
        ERROR, WARN, INFO, DEBUG;

        /** The level named by a config value such as {@code info}, or null if none is. */
        public static Level parse(String value) {
            for (Level level : values()) {
                if (level.name().equalsIgnoreCase(value.trim())) {
                    return level;
                }
            }
            return null;
        }
    }

    private static volatile Level threshold = Level.INFO;

    private Log() {
    }

    public static void setLevel(Level level) {
        threshold = level;
    }

    public static boolean isDebug() {
        return threshold == Level.DEBUG;
    }

    public static void error(String message) {
        log(Level.ERROR, message, null);
    }

    public static void error(String message, Throwable cause) {
        log(Level.ERROR, message, cause);
    }

    public static void warn(String message) {
        log(Level.WARN, message, null);
    }

    public static void warn(String message, Throwable cause) {
        log(Level.WARN, message, cause);
    }

    public static void info(String message) {
        log(Level.INFO, message, null);
    }

    public static void debug(String message) {
        log(Level.DEBUG, message, null);
    }

    private static void log(Level level, String message, Throwable cause) {
        if (level.ordinal() > threshold.ordinal()) {
            return;
        }
        try {
            StringBuilder line = new StringBuilder("[bizmetrics] ").append(level.name().toLowerCase(Locale.ROOT))
                    .append(' ').append(message);
            if (cause != null) {
                line.append(": ").append(describe(cause));
            }
            PrintStream err = System.err;
            err.println(line);
            if (cause != null && isDebug()) {
                cause.printStackTrace(err);
            }
        } catch (Throwable ignored) {
            // Logging must never be the reason the host fails.
        }
    }

    /** One line naming an exception and its causes, e.g. for a status page or a log line. */
    public static String describe(Throwable t) {
        StringBuilder text = new StringBuilder();
        for (Throwable c = t; c != null && text.length() < 2000; c = c.getCause() == c ? null : c.getCause()) {
            if (text.length() > 0) {
                text.append(" / caused by ");
            }
            String message = c.getMessage();
            text.append(c.getClass().getSimpleName());
            if (message != null && !message.isEmpty()) {
                text.append(": ").append(message.trim());
            }
        }
        return text.toString();
    }
}
