package dev.bizmetrics.agent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves {@code ${NAME}} and {@code ${NAME:default}} in values, from the environment, then system properties.
 * Written without regular expressions: it also runs in {@code premain}, where compiling one costs the host's
 * start-up a millisecond or two.
 */
final class Placeholders {

    private final Map<String, String> environment;
    private final Properties systemProperties;

    Placeholders(Map<String, String> environment, Properties systemProperties) {
        this.environment = environment;
        this.systemProperties = systemProperties;
    }

    /**
     * The setting with its placeholders resolved; itself when it has none. A {@code ${} that is not closed, or has
     * no name, is a problem: taken literally it could become, say, a password nobody meant.
     */
    Setting resolve(Setting setting, List<Problem> problems) {
        String written = setting.value();
        if (written.indexOf("${") < 0) {
            return setting;
        }
        StringBuilder resolved = new StringBuilder(written.length());
        Map<String, String> fromOutside = new LinkedHashMap<String, String>();
        boolean malformed = false;
        int i = 0;
        while (i < written.length()) {
            int start = written.indexOf("${", i);
            if (start < 0) {
                resolved.append(written, i, written.length());
                break;
            }
            resolved.append(written, i, start);
            int end = written.indexOf('}', start + 2);
            String body = end < 0 ? "" : written.substring(start + 2, end);
            int colon = body.indexOf(':');
            String name = (colon < 0 ? body : body.substring(0, colon)).trim();
            if (end < 0 || name.isEmpty() || name.indexOf('$') >= 0 || name.indexOf('{') >= 0) {
                malformed = true;
                resolved.append("${");
                i = start + 2;
                continue;
            }
            String value = environment.get(name);
            if (value == null) {
                value = systemProperties.getProperty(name);
            }
            if (value != null) {
                fromOutside.put(name, value);
            } else if (colon >= 0) {
                value = body.substring(colon + 1);
            } else {
                problems.add(Problem.at(setting, "${" + name + "} is not set; set the environment variable or "
                        + "system property " + name + ", or write ${" + name + ":default}"));
                value = "";
            }
            resolved.append(value);
            i = end + 1;
        }
        if (malformed) {
            problems.add(Problem.at(setting, "has a ${ without a name or a closing }; write ${NAME} or "
                    + "${NAME:default}"));
        }
        return setting.resolved(resolved.toString(), fromOutside);
    }
}
