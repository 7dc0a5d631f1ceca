package dev.bizmetrics.agent.discovery;

import dev.bizmetrics.agent.config.DataSourceSpec;
import dev.bizmetrics.agent.config.Selector;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies {@code datasource.<name>.match} to the DataSources seen. {@code auto} binds the pool when there is exactly
 * one; the other forms bind the one DataSource they match, a pool winning over unpooled and inner DataSources.
 * When it cannot choose it binds none and says which {@code match=} would pick each candidate.
 */
final class Binder {

    private Binder() {
    }

    /**
     * @param jndiFound   for a {@code jndi:} selector, the DataSource the name resolved to (wrappers resolved), or null
     * @param jndiProblem for a {@code jndi:} selector that did not resolve, why
     */
    static Binding bind(DataSourceSpec spec, List<DataSourceDescription> seen, DataSourceDescription jndiFound,
                        String jndiProblem) {
        Selector selector = spec.selector();
        String key = "datasource." + spec.name() + ".match";
        if (selector.kind() == Selector.Kind.JNDI) {
            if (jndiFound == null) {
                return new Binding(spec.name(), selector, null, Binding.Reason.JNDI_PENDING, "jndi name "
                        + selector.argument() + " not found yet: " + (jndiProblem == null ? "not looked up yet"
                        : jndiProblem) + "; looked up again every few seconds");
            }
            return new Binding(spec.name(), selector, jndiFound, Binding.Reason.BOUND, null);
        }
        List<DataSourceDescription> candidates = new ArrayList<DataSourceDescription>();
        if (selector.kind() == Selector.Kind.AUTO) {
            for (DataSourceDescription description : seen) {
                if (description.isPool()) {
                    candidates.add(description);
                }
            }
            if (candidates.isEmpty()) {
                return new Binding(spec.name(), selector, null, Binding.Reason.NOTHING_SEEN, "no connection pool "
                        + "seen yet" + seenList(seen) + "; it is found when the application creates it or first asks "
                        + "it for a connection");
            }
        } else {
            List<DataSourceDescription> matching = matching(selector, seen);
            for (DataSourceDescription description : matching) {
                if (description.isPool()) {
                    candidates.add(description);
                }
            }
            if (candidates.isEmpty()) {
                candidates.addAll(matching);
            }
            if (candidates.isEmpty()) {
                return new Binding(spec.name(), selector, null, Binding.Reason.NO_MATCH, "no DataSource seen matches "
                        + key + "=" + selector + seenList(seen));
            }
        }
        if (candidates.size() > 1) {
            StringBuilder text = new StringBuilder().append(candidates.size()).append(" DataSources match ")
                    .append(key).append('=').append(selector).append("; bound none. Pick one:");
            for (DataSourceDescription candidate : candidates) {
                text.append(' ').append(key).append('=').append(suggest(candidate, candidates)).append(" (")
                        .append(candidate.id()).append(");");
            }
            return new Binding(spec.name(), selector, null, Binding.Reason.SEVERAL_MATCH,
                    text.substring(0, text.length() - 1));
        }
        return new Binding(spec.name(), selector, candidates.get(0), Binding.Reason.BOUND, null);
    }

    static List<DataSourceDescription> matching(Selector selector, List<DataSourceDescription> seen) {
        List<DataSourceDescription> result = new ArrayList<DataSourceDescription>();
        for (DataSourceDescription description : seen) {
            if (matches(selector, description)) {
                result.add(description);
            }
        }
        return result;
    }

    private static boolean matches(Selector selector, DataSourceDescription description) {
        switch (selector.kind()) {
            case POOL:
                return description.poolName().equals(selector.argument());
            case CLASS:
                return description.className().equals(selector.argument());
            case URL:
                return selector.matchesUrl(description.url());
            default:
                return false;
        }
    }

    /** The selector that picks this DataSource alone among the others. */
    static Selector suggest(DataSourceDescription description, List<DataSourceDescription> others) {
        List<Selector> options = new ArrayList<Selector>();
        if (!description.poolName().isEmpty()) {
            options.add(Selector.of(Selector.Kind.POOL, description.poolName()));
        }
        if (!description.url().isEmpty()) {
            options.add(Selector.of(Selector.Kind.URL, "^" + literalRegex(description.url()) + "$"));
        }
        options.add(Selector.of(Selector.Kind.CLASS, description.className()));
        for (Selector option : options) {
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
