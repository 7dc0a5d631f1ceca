package dev.bizmetrics.agent.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text after {@code -javaagent:bizmetrics-agent.jar=}: empty, a config file path, or
 * {@code config=PATH,key=value,...} where every key but {@code config} overrides a configuration key.
 */
public final class AgentArguments {

    private final String configPath;
    private final Map<String, String> overrides;

    private AgentArguments(String configPath, Map<String, String> overrides) {
        this.configPath = configPath;
        this.overrides = Collections.unmodifiableMap(overrides);
    }

    /**
     * Parses the agent argument string.
     *
     * @throws IllegalArgumentException with a message naming the bad part, for a {@code key=value} list that has a
     *                                  part without a key or a key given twice
     */
    public static AgentArguments parse(String text) {
        String args = text == null ? "" : text.trim();
        if (args.isEmpty()) {
            return new AgentArguments(null, new LinkedHashMap<String, String>());
        }
        if (!looksLikeKeyValueList(args)) {
            return new AgentArguments(args, new LinkedHashMap<String, String>());
        }
        String configPath = null;
        Map<String, String> overrides = new LinkedHashMap<String, String>();
        for (String part : args.split(",")) {
            if (part.trim().isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("agent argument '" + part.trim()
                        + "' is not key=value; write -javaagent:bizmetrics-agent.jar=config=PATH,key=value,...");
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (!isKey(key)) {
                throw new IllegalArgumentException("agent argument key '" + key + "' is not a configuration key");
            }
            if (key.equals("config")) {
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("agent argument config= needs a file path");
                }
                if (configPath != null) {
                    throw new IllegalArgumentException("agent argument 'config' is given twice; keep one");
                }
                configPath = value;
            } else if (overrides.put(key, value) != null) {
                throw new IllegalArgumentException("agent argument '" + key + "' is given twice; keep one");
            }
        }
        return new AgentArguments(configPath, overrides);
    }

    /** A path has no {@code key=} at its start; {@code config=...} or {@code http.port=...} does. */
    private static boolean looksLikeKeyValueList(String args) {
        int eq = args.indexOf('=');
        return eq > 0 && isKey(args.substring(0, eq).trim());
    }

    /** Letters, digits, {@code _ . -}; checked by hand, as a regular expression costs premain a millisecond or two. */
    private static boolean isKey(String key) {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_' || c == '.' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** The config file named in the arguments, or null when they name none. */
    public String configPath() {
        return configPath;
    }

    /** Configuration keys set on the command line, which win over every other source. */
    public Map<String, String> overrides() {
        return overrides;
    }
}
