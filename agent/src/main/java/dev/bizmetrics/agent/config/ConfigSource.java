package dev.bizmetrics.agent.config;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where the configuration comes from and how its sources merge: the one place for the file's location, the
 * precedence (agent arguments, system properties {@code bizmetrics.<key>}, environment {@code BIZMETRICS_<KEY>}, the
 * file), placeholders and the file's syntax. {@code premain} reads {@code discovery.generic} through it and the
 * loader everything else, so the two never disagree. Loads no regular expression and no parser of the rest of the
 * configuration: it is cheap enough for {@code premain}.
 */
public final class ConfigSource {

    static final String DEFAULT_FILE = "bizmetrics.properties";
    private static final String SYSTEM_PREFIX = "bizmetrics.";
    private static final String ENV_PREFIX = "BIZMETRICS_";

    private final String path;
    private final Map<String, String> overrides;
    private final Map<String, String> environment;
    private final Properties systemProperties;

    /** What the sources hold: every key with its value and origin, or why the file could not be read. */
    public static final class Read {
        final Map<String, Setting> settings;
        final List<Problem> problems;
        final boolean readable;

        private Read(Map<String, Setting> settings, List<Problem> problems, boolean readable) {
            this.settings = settings;
            this.problems = problems;
            this.readable = readable;
        }

        /** The merged, resolved value of a key, or null when no source sets it. */
        public String value(String key) {
            Setting setting = settings.get(key);
            return setting == null ? null : setting.value();
        }
    }

    public ConfigSource(String argumentPath, Map<String, String> overrides, Map<String, String> environment,
                        Properties systemProperties) {
        this.environment = environment;
        this.systemProperties = systemProperties;
        this.overrides = overrides;
        this.path = locate(argumentPath);
    }

    /** The sources of this process, as {@code -javaagent:bizmetrics-agent.jar=ARGUMENTS} gives them. */
    public static ConfigSource forThisProcess(AgentArguments arguments) {
        return new ConfigSource(arguments.configPath(), arguments.overrides(), System.getenv(),
                System.getProperties());
    }

    /** The file to read: the agent argument, else {@code -Dbizmetrics.config}, else {@code BIZMETRICS_CONFIG}. */
    private String locate(String argumentPath) {
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

    public String path() {
        return path;
    }

    /** Reads the file and merges every source. Never throws. */
    public Read read() {
        List<Problem> problems = new ArrayList<Problem>();
        String text;
        try {
            text = decode(ConfigFile.read(new File(path)));
        } catch (ConfigFile.Unreadable e) {
            problems.add(new Problem(path, null, "cannot read the configuration (" + e.getMessage() + ", looked at "
                    + new File(path).getAbsolutePath() + "); pass its path as -javaagent:bizmetrics-agent.jar=PATH"));
            return new Read(Collections.<String, Setting>emptyMap(), problems, false);
        }
        Map<String, Setting> merged = merge(PropertiesFile.parse(text, new File(path).getName(), problems));
        Placeholders placeholders = new Placeholders(environment, systemProperties);
        for (Map.Entry<String, Setting> entry : merged.entrySet()) {
            entry.setValue(placeholders.resolve(entry.getValue(), problems));
        }
        return new Read(merged, problems, true);
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

    private Map<String, Setting> merge(List<Setting> fileSettings) {
        Map<String, Setting> merged = new LinkedHashMap<String, Setting>();
        for (Setting setting : fileSettings) {
            merged.put(setting.key(), setting);
        }
        Set<String> envKeys = new LinkedHashSet<String>(Keys.PLAIN);
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
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            merged.put(entry.getKey(), new Setting(entry.getKey(), entry.getValue(), "agent argument"));
        }
        return merged;
    }

    /** {@code metric.orders.sql} → {@code BIZMETRICS_METRIC_ORDERS_SQL}. */
    static String environmentName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
