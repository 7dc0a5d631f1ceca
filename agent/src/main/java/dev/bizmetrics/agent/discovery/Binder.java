package dev.bizmetrics.agent.discovery;

import dev.bizmetrics.agent.config.DataSourceSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Applies {@code datasource.<name>.match} to the DataSources seen. {@code auto} binds the pool when there is exactly
 * one; the other forms bind the one DataSource they match, a pool winning over unpooled and inner DataSources.
 * When it cannot choose it binds none and says which {@code match=} would pick each candidate.
 */
public final class Binder {

    private Binder() {
    }

    public static Binding bind(DataSourceSpec spec, List<DataSourceDescription> seen) {
        return bind(spec, seen, null, null);
    }

    /**
     * @param jndiFound   for a {@code jndi:} match, the DataSource the name resolved to (wrappers resolved), or null
     * @param jndiProblem for a {@code jndi:} match that did not resolve, why
     */
    public static Binding bind(DataSourceSpec spec, List<DataSourceDescription> seen, DataSourceDescription jndiFound,
                               String jndiProblem) {
        String match = spec.match();
        String key = "datasource." + spec.name() + ".match";
        List<DataSourceDescription> candidates = new ArrayList<DataSourceDescription>();
        if (match.startsWith("jndi:")) {
            if (jndiFound == null) {
                return new Binding(spec.name(), null, "jndi name " + match.substring("jndi:".length()).trim()
                        + " not found yet: " + (jndiProblem == null ? "not looked up yet" : jndiProblem)
                        + "; looked up again every second");
            }
            return new Binding(spec.name(), jndiFound, "bound by " + key + "=" + match);
        }
        if (match.equals("auto")) {
            for (DataSourceDescription description : seen) {
                if (description.isPool()) {
                    candidates.add(description);
                }
            }
            if (candidates.isEmpty()) {
                return new Binding(spec.name(), null, "no connection pool seen yet" + seenList(seen)
                        + "; it is found when the application creates it or first asks it for a connection");
            }
        } else {
            List<DataSourceDescription> matching = matching(match, seen);
            for (DataSourceDescription description : matching) {
                if (description.isPool()) {
                    candidates.add(description);
                }
            }
            if (candidates.isEmpty()) {
                candidates.addAll(matching);
            }
            if (candidates.isEmpty()) {
                return new Binding(spec.name(), null, "no DataSource seen matches " + key + "=" + match
                        + seenList(seen));
            }
        }
        if (candidates.size() > 1) {
            StringBuilder text = new StringBuilder().append(candidates.size()).append(" DataSources match ")
                    .append(key).append('=').append(match).append("; bound none. Pick one:");
            for (DataSourceDescription candidate : candidates) {
                text.append(' ').append(key).append('=').append(suggestMatch(candidate, candidates)).append(" (")
                        .append(candidate.id()).append(");");
            }
            return new Binding(spec.name(), null, text.substring(0, text.length() - 1));
        }
        DataSourceDescription chosen = candidates.get(0);
        return new Binding(spec.name(), chosen, "bound by " + key + "=" + match);
    }

    static List<DataSourceDescription> matching(String match, List<DataSourceDescription> seen) {
        int colon = match.indexOf(':');
        String form = match.substring(0, colon);
        String argument = match.substring(colon + 1).trim();
        Pattern url = form.equals("url") ? Pattern.compile(argument) : null;
        List<DataSourceDescription> result = new ArrayList<DataSourceDescription>();
        for (DataSourceDescription description : seen) {
            boolean matches = form.equals("pool") ? description.poolName().equals(argument)
                    : form.equals("class") ? description.className().equals(argument)
                    : form.equals("url") && url.matcher(description.url()).find();
            if (matches) {
                result.add(description);
            }
        }
        return result;
    }

    /** The {@code match=} value that picks this DataSource alone among the others. */
    public static String suggestMatch(DataSourceDescription description, List<DataSourceDescription> others) {
        List<String> options = new ArrayList<String>();
        if (!description.poolName().isEmpty()) {
            options.add("pool:" + description.poolName());
        }
        if (!description.url().isEmpty()) {
            options.add("url:^" + literalRegex(description.url()) + "$");
        }
        options.add("class:" + description.className());
        for (String option : options) {
            List<DataSourceDescription> picked = matching(option, others);
            if (picked.size() == 1 && picked.get(0) == description) {
                return option;
            }
        }
        return options.get(0);
    }

    /** A regex matching the text literally, written without backslashes so that it survives a properties file. */
    static String literalRegex(String text) {
        StringBuilder regex = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ("[]\\^".indexOf(c) >= 0) {
                regex.append('.');
            } else if (".?*+$|(){}".indexOf(c) >= 0) {
                regex.append('[').append(c).append(']');
            } else {
                regex.append(c);
            }
        }
        return regex.toString();
    }

    private static String seenList(List<DataSourceDescription> seen) {
        if (seen.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(" (seen:");
        for (DataSourceDescription description : seen) {
            text.append(' ').append(description.id()).append(description.isPool() ? " pool" : " unpooled");
            if (!description.poolName().isEmpty()) {
                text.append(" '").append(description.poolName()).append('\'');
            }
            text.append(',');
        }
        text.setLength(text.length() - 1);
        return text.append(')').toString();
    }
}
