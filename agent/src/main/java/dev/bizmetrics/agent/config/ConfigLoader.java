package dev.bizmetrics.agent.config;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds, reads and merges the configuration. Precedence, highest first: agent arguments, system properties
 * {@code bizmetrics.<key>}, environment {@code BIZMETRICS_<KEY>}, the file, defaults. {@code ${NAME}} and
 * {@code ${NAME:default}} in values resolve from the environment, then system properties.
 */
public final class ConfigLoader {

    static final String DEFAULT_FILE = "bizmetrics.properties";
    private static final String SYSTEM_PREFIX = "bizmetrics.";
    private static final String ENV_PREFIX = "BIZMETRICS_";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

    private final Map<String, String> environment;
    private final Properties systemProperties;

    public ConfigLoader(Map<String, String> environment, Properties systemProperties) {
        this.environment = environment;
        this.systemProperties = systemProperties;
    }

    /** Uses the process's environment and system properties. */
    public static ConfigLoader forThisProcess() {
        return new ConfigLoader(System.getenv(), System.getProperties());
    }

    /** The file to read: the agent argument, else {@code -Dbizmetrics.config}, else {@code BIZMETRICS_CONFIG}. */
    public String locate(String argumentPath) {
        if (argumentPath != null) {
            return argumentPath;
        }
        String property = systemProperties.getProperty(SYSTEM_PREFIX + "config");
        if (property != null && !property.trim().isEmpty()) {
            return property.trim();
        }
        String env = environment.get(ENV_PREFIX + "CONFIG");
        return env != null && !env.trim().isEmpty() ? env.trim() : DEFAULT_FILE;
    }

    /** Reads, merges and validates the configuration. Never throws: whatever goes wrong is a problem. */
    public LoadedConfig load(String path, Map<String, String> argumentOverrides) {
        List<Problem> problems = new ArrayList<Problem>();
        String text;
        try {
            text = decode(ConfigFile.read(new File(path)));
        } catch (ConfigFile.Unreadable e) {
            problems.add(new Problem(path, null, "cannot read the configuration (" + e.getMessage() + ", looked at "
                    + new File(path).getAbsolutePath() + "); pass its path as -javaagent:bizmetrics-agent.jar=PATH"));
            return new LoadedConfig(path, null, null, problems, false);
        }
        try {
            List<Setting> fileSettings = PropertiesFile.parse(text, new File(path).getName(), problems);
            Map<String, Setting> merged = merge(fileSettings, argumentOverrides);
            resolvePlaceholders(merged, problems);
            ConfigParser.Result parsed = ConfigParser.parse(merged, problems);
            return new LoadedConfig(path, parsed.http, parsed.config, problems, true);
        } catch (RuntimeException e) {
            // A bug of ours must not take the running configuration away, nor reach the host's thread.
            problems.add(new Problem(path, null, "could not be validated (" + e + "); please report this"));
            return new LoadedConfig(path, null, null, problems, true);
        }
    }

    /** UTF-8 when the bytes are valid UTF-8, else ISO-8859-1 (the classic properties encoding). */
    private static String decode(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private Map<String, Setting> merge(List<Setting> fileSettings, Map<String, String> argumentOverrides) {
        Map<String, Setting> merged = new LinkedHashMap<String, Setting>();
        for (Setting setting : fileSettings) {
            merged.put(setting.key(), setting);
        }
        Set<String> envKeys = new LinkedHashSet<String>(ConfigParser.plainKeys());
        envKeys.addAll(merged.keySet());
        for (String key : envKeys) {
            String name = environmentName(key);
            String value = environment.get(name);
            if (value != null) {
                merged.put(key, new Setting(key, value, "environment " + name));
            }
        }
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith(SYSTEM_PREFIX) && !name.equals(SYSTEM_PREFIX + "config")) {
                String key = name.substring(SYSTEM_PREFIX.length());
                merged.put(key, new Setting(key, systemProperties.getProperty(name), "system property " + name));
            }
        }
        for (Map.Entry<String, String> entry : argumentOverrides.entrySet()) {
            merged.put(entry.getKey(), new Setting(entry.getKey(), entry.getValue(), "agent argument"));
        }
        return merged;
    }

    /** {@code metric.orders.sql} → {@code BIZMETRICS_METRIC_ORDERS_SQL}. */
    static String environmentName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Resolves {@code ${NAME}} and {@code ${NAME:default}}. A {@code ${} that is not closed, or has no name, is a
     * problem: taken literally it could become, say, a password nobody meant.
     */
    private void resolvePlaceholders(Map<String, Setting> settings, List<Problem> problems) {
        for (Map.Entry<String, Setting> entry : settings.entrySet()) {
            Setting setting = entry.getValue();
            String written = setting.value();
            if (written.indexOf("${") < 0) {
                continue;
            }
            if (PLACEHOLDER.matcher(written).replaceAll("").contains("${")) {
                problems.add(Problem.at(setting, "has a ${ without a name or a closing }; write ${NAME} or "
                        + "${NAME:default}"));
            }
            Matcher m = PLACEHOLDER.matcher(written);
            StringBuffer resolved = new StringBuffer();
            Map<String, String> fromOutside = new LinkedHashMap<String, String>();
            while (m.find()) {
                String name = m.group(1).trim();
                String value = environment.get(name);
                if (value == null) {
                    value = systemProperties.getProperty(name);
                }
                if (value != null) {
                    fromOutside.put(name, value);
                } else if (m.group(2) != null) {
                    value = m.group(2);
                } else {
                    problems.add(Problem.at(setting, "${" + name + "} is not set; set the environment variable or "
                            + "system property " + name + ", or write ${" + name + ":default}"));
                    value = "";
                }
                m.appendReplacement(resolved, Matcher.quoteReplacement(value));
            }
            m.appendTail(resolved);
            entry.setValue(setting.resolved(resolved.toString(), fromOutside));
        }
    }
}
