package dev.bizmetrics.agent.config;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code agent.main=<regex>}: the agent runs only in JVMs whose main class or jar (the first word of
 * {@code sun.java.command}, never the arguments) contains a match. Read once at start, before any port opens; it
 * also lets the agent run in a JVM it would otherwise leave alone (a build tool, say).
 */
public final class AgentMain {

    public static final String KEY = "agent.main";

    private AgentMain() {
    }

    /** What is wrong with this value, said so that its author can fix it; null when it is a usable expression. */
    public static String problem(String regex) {
        if (regex.trim().isEmpty()) {
            return "is empty; give a regular expression found in the main class or jar of the JVMs the agent should "
                    + "run in (e.g. agent.main=^com\\.shop\\.) or remove the key";
        }
        try {
            Pattern.compile(regex.trim());
            return null;
        } catch (PatternSyntaxException e) {
            return "is not a regular expression (" + e.getDescription() + " at index " + e.getIndex() + "); give one "
                    + "found in the main class or jar of the JVMs the agent should run in, e.g. agent.main=^com\\.shop\\.";
        }
    }

    /** True when {@code main} contains a match of the (valid) expression. */
    public static boolean matches(String regex, String main) {
        return Pattern.compile(regex.trim()).matcher(main).find();
    }
}
