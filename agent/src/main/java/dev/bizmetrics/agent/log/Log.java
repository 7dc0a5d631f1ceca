package dev.bizmetrics.agent.log;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's only logger: one line per entry on stderr, {@code [bizmetrics] 2026-12-01T19:46:40.123Z info message}.
 * No logging framework and no {@code java.util.logging}, which would initialise the host's LogManager before the host
 * configures it. A newline in a message (a driver's multi-line error, say) is written as {@code \n}, so that every
 * line of ours starts with the prefix. The level is process-wide: it is set from the configuration and read from
 * every agent thread.
 *
 * <p>Code that runs inside the host's class definitions must not write to {@code System.err}: a host that replaced it
 * with a stream that loads classes, or takes a lock, could deadlock. It {@link #defer}s its messages instead; an
 * agent thread writes them ({@link #drainDeferred}).
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

    /** Past this many deferred messages not yet written, more are counted, not kept. */
    static final int MAX_DEFERRED = 1000;

    private static volatile Level threshold = Level.INFO;
    private static final ConcurrentLinkedQueue<String[]> DEFERRED = new ConcurrentLinkedQueue<String[]>();
    private static final AtomicInteger DEFERRED_COUNT = new AtomicInteger();
    private static final AtomicInteger DEFERRED_LOST = new AtomicInteger();

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

    /**
     * Keeps a message to be written later by an agent thread; for code that runs inside a class definition of the
     * host. Never blocks, never writes.
     */
    public static void defer(Level level, String message) {
        // Kept whatever the level: class definitions come before the configuration sets it.
        if (DEFERRED_COUNT.incrementAndGet() > MAX_DEFERRED) {
            DEFERRED_COUNT.decrementAndGet();
            DEFERRED_LOST.incrementAndGet();
            return;
        }
        DEFERRED.add(new String[] {level.name(), stamp(System.currentTimeMillis()), message});
    }

    /** Writes the deferred messages of the current level and above, on an agent thread. */
    public static void drainDeferred() {
        for (String[] entry; (entry = DEFERRED.poll()) != null; ) {
            DEFERRED_COUNT.decrementAndGet();
            Level level = Level.valueOf(entry[0]);
            if (level.ordinal() <= threshold.ordinal()) {
                write(level, entry[1], entry[2], null);
            }
        }
        int lost = DEFERRED_LOST.getAndSet(0);
        if (lost > 0) {
            write(Level.WARN, stamp(System.currentTimeMillis()), lost + " more messages from class definitions were "
                    + "not kept", null);
        }
    }

    private static void log(Level level, String message, Throwable cause) {
        if (level.ordinal() > threshold.ordinal()) {
            return;
        }
        write(level, stamp(System.currentTimeMillis()), cause == null ? message : message + ": " + describe(cause),
                cause);
    }

    private static void write(Level level, String stamp, String message, Throwable cause) {
        try {
            PrintStream err = System.err;
            err.println(line(stamp, level, message));
            if (cause != null && isDebug()) {
                for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
                    err.println(line(stamp, Level.DEBUG, (c == cause ? "" : "caused by ") + c));
                    for (StackTraceElement frame : c.getStackTrace()) {
                        err.println(line(stamp, Level.DEBUG, "    at " + frame));
                    }
                }
            }
        } catch (Throwable ignored) {
            // Logging must never be the reason the host fails.
        }
    }

    static String line(String stamp, Level level, String message) {
        return "[bizmetrics] " + stamp + " " + level.name().toLowerCase(Locale.ROOT) + " " + oneLine(message);
    }

    /** The message on one line: carriage returns and newlines written as {@code \r} and {@code \n}. */
    static String oneLine(String message) {
        if (message == null) {
            return "null";
        }
        if (message.indexOf('\n') < 0 && message.indexOf('\r') < 0) {
            return message;
        }
        String text = message.trim();
        return text.replace("\r\n", "\\n").replace("\r", "\\r").replace("\n", "\\n");
    }

    static String stamp(long epochMillis) {
        return UtcTime.iso(epochMillis);
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
