package dev.bizmetrics.agent.launch;

import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether {@code discovery.generic=true} is set, read in {@code premain} before the rest of the configuration so
 * that the transformer looks at every class the application loads from its first one. Same sources and precedence
 * as the configuration (agent arguments, {@code -Dbizmetrics.discovery.generic}, {@code BIZMETRICS_DISCOVERY_GENERIC},
 * the file); the configuration's own validation reports a bad value. It is read once: a change needs a restart.
 * The file is read with {@link Properties} (already loaded by every JVM): a small local read, no parsing library.
 */
final class GenericDiscoverySetting {

    static final String KEY = "discovery.generic";

    private GenericDiscoverySetting() {
    }

    static boolean requested(AgentArguments arguments, Map<String, String> environment, Properties system) {
        String value = arguments.overrides().get(KEY);
        if (value == null) {
            value = system.getProperty("bizmetrics." + KEY);
        }
        if (value == null) {
            value = environment.get("BIZMETRICS_DISCOVERY_GENERIC");
        }
        if (value == null) {
            value = fromFile(configPath(arguments, environment, system));
        }
        return value != null && resolve(value, environment, system).trim().equalsIgnoreCase("true");
    }

    /** As {@code ConfigLoader.locate}, which is not loaded here: its static regular expressions cost start-up time. */
    private static String configPath(AgentArguments arguments, Map<String, String> environment, Properties system) {
        if (arguments.configPath() != null) {
            return arguments.configPath();
        }
        String property = system.getProperty("bizmetrics.config");
        if (property != null && !property.trim().isEmpty()) {
            return property.trim();
        }
        String env = environment.get("BIZMETRICS_CONFIG");
        return env != null && !env.trim().isEmpty() ? env.trim() : "bizmetrics.properties";
    }

    private static String fromFile(String path) {
        try {
            Reader reader = new InputStreamReader(new FileInputStream(path), StandardCharsets.UTF_8);
            try {
                Properties file = new Properties();
                file.load(reader);
                String value = file.getProperty(KEY);
                return value == null ? null : withoutInlineComment(value);
            } finally {
                reader.close();
            }
        } catch (Throwable t) {
            return null; // the configuration loader reports an unreadable file
        }
    }

    /** {@code true   # comment}: a {@code #} after whitespace starts a comment, as in the configuration's parser. */
    private static String withoutInlineComment(String value) {
        for (int i = 1; i < value.length(); i++) {
            if (value.charAt(i) == '#' && Character.isWhitespace(value.charAt(i - 1))) {
                return value.substring(0, i);
            }
        }
        return value;
    }

    private static String resolve(String value, Map<String, String> environment, Properties system) {
        if (value.indexOf("${") < 0) {
            return value;
        }
        Matcher m = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}").matcher(value);
        StringBuffer resolved = new StringBuffer();
        while (m.find()) {
            String name = m.group(1).trim();
            String replacement = environment.get(name);
            if (replacement == null) {
                replacement = system.getProperty(name);
            }
            if (replacement == null) {
                replacement = m.group(2) == null ? "" : m.group(2);
            }
            m.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(resolved);
        return resolved.toString();
    }
}
