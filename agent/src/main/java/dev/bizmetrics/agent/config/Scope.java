package dev.bizmetrics.agent.config;

import java.util.Locale;

/** Where a query runs when {@code fleet.mode=lock}: on the fleet's leader only, or on every replica. */
public enum Scope {
    /** Once per database per interval, on the replica that leads the fleet. The default. */
    FLEET,
    /** On every replica, as with {@code fleet.mode=off}: for what differs per replica. */
    INSTANCE;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope a value names, or null. */
    static Scope parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        for (Scope scope : values()) {
            if (scope.configName().equals(value)) {
                return scope;
            }
        }
        return null;
    }
}
