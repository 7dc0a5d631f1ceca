package dev.bizmetrics.agent.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * {@code fleet.*}: whether the replicas of a service share their queries through a lock of their database, under
 * which name, and how often a follower tries to take over.
 */
public final class FleetSettings {

    /** {@code fleet.mode}. */
    public enum Mode {
        /** Every replica runs every query. */
        OFF,
        /** A fleet-scoped query runs on the one replica that holds the database lock of its fleet. */
        LOCK
    }

    static final long DEFAULT_CHECK_MILLIS = 10_000L;
    static final FleetSettings OFF = new FleetSettings(Mode.OFF, null, DEFAULT_CHECK_MILLIS);

    private final Mode mode;
    private final String name;
    private final long checkIntervalMillis;

    FleetSettings(Mode mode, String name, long checkIntervalMillis) {
        this.mode = mode;
        this.name = name;
        this.checkIntervalMillis = checkIntervalMillis;
    }

    public Mode mode() {
        return mode;
    }

    public boolean isLock() {
        return mode == Mode.LOCK;
    }

    /** How often a follower tries to take over (the leader checks its own lock every second). */
    public long checkIntervalMillis() {
        return checkIntervalMillis;
    }

    /**
     * The fleet a DataSource's replicas share: {@code fleet.name}, or else a name derived from that DataSource's
     * fleet-scoped queries, so that replicas with the same queries share a leader and, during a rolling deploy that
     * changes them, the new replicas do not silently share one with the old.
     */
    public String nameFor(String dataSource, List<QuerySpec> queries) {
        if (name != null) {
            return name;
        }
        StringBuilder definition = new StringBuilder(dataSource);
        for (QuerySpec query : queries) {
            if (query.dataSource().equals(dataSource) && query.scope() == Scope.FLEET) {
                definition.append('\n').append(query.definition());
            }
        }
        return "q" + hex(sha256(definition.toString()), 5);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String hex(byte[] bytes, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(String.format("%02x", bytes[i] & 0xff));
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FleetSettings)) {
            return false;
        }
        FleetSettings other = (FleetSettings) o;
        return mode == other.mode && (name == null ? other.name == null : name.equals(other.name))
                && checkIntervalMillis == other.checkIntervalMillis;
    }

    @Override
    public int hashCode() {
        return mode.hashCode() * 31 + (int) checkIntervalMillis;
    }
}
