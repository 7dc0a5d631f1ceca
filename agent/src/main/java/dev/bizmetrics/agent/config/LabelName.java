package dev.bizmetrics.agent.config;

import java.util.regex.Pattern;

/** Prometheus's rule for a label name, for configured labels and for the columns that become labels alike. */
public final class LabelName {

    private static final Pattern VALID = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private LabelName() {
    }

    /** Letters, digits and _, not starting with a digit, and not with __ (reserved for Prometheus's own). */
    public static boolean isValid(String name) {
        return VALID.matcher(name).matches() && !name.startsWith("__");
    }
}
