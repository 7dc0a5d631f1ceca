package dev.bizmetrics.agent.config;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What {@code datasource.<name>.match} asks for, parsed once: {@code auto}, {@code pool:<pool name>},
 * {@code url:<regex on the JDBC URL>}, {@code class:<class name>}, {@code context:<web application context path>}
 * or {@code jndi:<JNDI name>}. Immutable.
 */
public final class Selector {

    /** The forms of a selector. */
    public enum Kind {
        AUTO("auto"), POOL("pool"), URL("url"), CLASS("class"), CONTEXT("context"), JNDI("jndi");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    public static final Selector AUTO = new Selector(Kind.AUTO, "", null);

    /** The forms, as the messages about a bad match name them. */
    public static final String FORMS = "auto, pool:<pool name>, url:<regex on the JDBC URL>, class:<class name>, "
            + "context:<web application context path> or jndi:<JNDI name>";

    private final Kind kind;
    private final String argument;
    private final Pattern url;

    private Selector(Kind kind, String argument, Pattern url) {
        this.kind = kind;
        this.argument = argument;
        this.url = url;
    }

    /** A selector naming one value, e.g. {@code pool:orders}; for {@link Kind#URL} the value is a regex. */
    public static Selector of(Kind kind, String argument) {
        if (kind == Kind.AUTO) {
            return AUTO;
        }
        return new Selector(kind, argument, kind == Kind.URL ? Pattern.compile(argument) : null);
    }

    /**
     * Parses {@code auto} or {@code form:argument}.
     *
     * @throws IllegalArgumentException with a message for the user, when it is not a selector
     */
    public static Selector parse(String text) {
        String match = text.trim();
        if (match.equals("auto")) {
            return AUTO;
        }
        int colon = match.indexOf(':');
        String form = colon < 0 ? match : match.substring(0, colon);
        String argument = colon < 0 ? "" : match.substring(colon + 1).trim();
        for (Kind kind : Kind.values()) {
            if (kind != Kind.AUTO && kind.prefix.equals(form) && !argument.isEmpty()) {
                if (kind == Kind.CONTEXT && !argument.startsWith("/")) {
                    throw new IllegalArgumentException("'" + match + "' is not a context path; write the web "
                            + "application's context path with its leading slash, e.g. context:/" + argument
                            + " (context:/ for the root application)");
                }
                try {
                    return of(kind, argument);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("'" + argument + "' is not a regular expression: "
                            + e.getDescription() + " near index " + e.getIndex());
                }
            }
        }
        throw new IllegalArgumentException("'" + match + "' is not a match; use " + FORMS);
    }

    public Kind kind() {
        return kind;
    }

    /** The pool name, regex, class name, context path or JNDI name; "" for {@code auto}. */
    public String argument() {
        return argument;
    }

    /** For {@link Kind#URL}: whether the regex is found in this JDBC URL. */
    public boolean matchesUrl(String jdbcUrl) {
        return url != null && url.matcher(jdbcUrl).find();
    }

    /** As written in the configuration: {@code auto}, {@code pool:orders}. */
    @Override
    public String toString() {
        return kind == Kind.AUTO ? "auto" : kind.prefix + ":" + argument;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Selector && ((Selector) o).kind == kind && ((Selector) o).argument.equals(argument);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + argument.hashCode();
    }
}
