package dev.bizmetrics.agent.discovery;

import dev.bizmetrics.agent.config.DataSourceSpec;
import dev.bizmetrics.agent.config.Selector;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies {@code datasource.<name>.match} to the DataSources seen. {@code auto} binds the pool when there is exactly
 * one (in a web application, once the application has used it: a container deploys the others after it, and so
 * for a {@code jndi:} name that resolves to one DataSource so far); the other
 * forms bind the one DataSource they match, a pool winning over unpooled and inner DataSources.
 * When several match and all are the same database (same class, URL and user: Tomcat's one pool per web application
 * of a shared {@code <Resource>}), the one the application has used is bound and the others are listed as the same
 * database. When it cannot choose it binds none and says which {@code match=} would pick each candidate, each
 * suggestion picking that one DataSource alone.
 */
final class Binder {

    private Binder() {
    }

    /**
     * @param jndiFound   for a {@code jndi:} selector, the DataSources the name resolved to in the application's
     *                    naming contexts (wrappers resolved; one per web application that publishes the name)
     * @param jndiProblem for a {@code jndi:} selector that did not resolve, why
     */
    static Binding bind(DataSourceSpec spec, List<DataSourceDescription> seen, List<DataSourceDescription> jndiFound,
                        String jndiProblem) {
        Selector selector = spec.selector();
        String key = "datasource." + spec.name() + ".match";
        List<DataSourceDescription> candidates;
        if (selector.kind() == Selector.Kind.JNDI) {
            if (jndiFound.isEmpty()) {
                return new Binding(spec.name(), selector, null, Binding.Reason.JNDI_PENDING, "jndi name "
                        + selector.argument() + " not found yet: " + (jndiProblem == null ? "not looked up yet"
                        : jndiProblem) + "; looked up again every few seconds");
            }
            candidates = open(jndiFound);
        } else {
            candidates = candidates(selector, seen);
        }
        if (candidates.isEmpty()) {
            if (selector.kind() == Selector.Kind.AUTO) {
                return new Binding(spec.name(), selector, null, Binding.Reason.NOTHING_SEEN, "no connection pool "
                        + "seen yet" + seenList(seen) + "; it is found when the application creates it or first asks "
                        + "it for a connection");
            }
            return new Binding(spec.name(), selector, null, Binding.Reason.NO_MATCH, "no DataSource seen matches "
                    + key + "=" + selector + seenList(seen));
        }
        if (candidates.size() == 1) {
            DataSourceDescription only = candidates.get(0);
            boolean guess = selector.kind() == Selector.Kind.AUTO || selector.kind() == Selector.Kind.JNDI;
            if (guess && !only.contextPath().isEmpty() && !only.isUsed()) {
                // A container creates each web application's pools as it deploys them, the default ones first, and
                // a shared JNDI name resolves in each: the one seen so far is not yet the one the application uses.
                return new Binding(spec.name(), selector, null, Binding.Reason.WAITING_FOR_USE, "the one "
                        + "DataSource seen, " + label(only) + ", belongs to a web application that has not used it "
                        + "yet: in a container, " + key + "=" + (selector.kind() == Selector.Kind.AUTO ? "auto"
                        : "jndi:...") + " binds the DataSource the application uses, once it asks it for a "
                        + "connection."
                        + pickOne(key, candidates, seen));
            }
            return new Binding(spec.name(), selector, only, Binding.Reason.BOUND, null);
        }
        if (sameDatabase(candidates)) {
            List<DataSourceDescription> used = new ArrayList<DataSourceDescription>();
            for (DataSourceDescription candidate : candidates) {
                if (candidate.isUsed()) {
                    used.add(candidate);
                }
            }
            if (used.size() == 1) {
                return new Binding(spec.name(), selector, used.get(0), Binding.Reason.BOUND, "the one the "
                        + "application uses of " + candidates.size() + " DataSources of the same database ("
                        + others(used.get(0), candidates) + " the same database, unused)");
            }
            if (used.isEmpty()) {
                return new Binding(spec.name(), selector, null, Binding.Reason.WAITING_FOR_USE, candidates.size()
                        + " DataSources of the same database match " + key + "=" + selector + " and the "
                        + "application has used none yet: the one it first asks for a connection is bound."
                        + pickOne(key, candidates, seen));
            }
            candidates = used;
        }
        return new Binding(spec.name(), selector, null, Binding.Reason.SEVERAL_MATCH, candidates.size()
                + " DataSources match " + key + "=" + selector + "; bound none." + pickOne(key, candidates, seen));
    }

    /**
     * The DataSource of a binding made before, when it stays although a fresh decision would differ: it was made for
     * the same selector, and its DataSource is alive, not closed and still one of the selector's candidates (for
     * {@code jndi:}, still one the name resolves to: a name bound to another DataSource moves the binding).
     */
    static DataSourceDescription stays(Binding before, Selector selector, List<DataSourceDescription> seen,
                                       List<DataSourceDescription> jndiFound) {
        if (before == null || !before.isBound() || !before.selector().equals(selector)) {
            return null;
        }
        Object instance = before.bound().instance();
        if (instance == null) {
            return null;
        }
        for (DataSourceDescription candidate : selector.kind() == Selector.Kind.JNDI ? open(jndiFound)
                : candidates(selector, seen)) {
            if (candidate.instance() == instance) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * What a selector may bind among the DataSources seen: the pools it matches, else all it matches; never one the
     * application has closed ({@code isClosed()}: HikariCP, DBCP2, Druid and others say so).
     */
    static List<DataSourceDescription> candidates(Selector selector, List<DataSourceDescription> seen) {
        List<DataSourceDescription> matching = open(selector.kind() == Selector.Kind.AUTO ? seen
                : matching(selector, seen));
        List<DataSourceDescription> pools = new ArrayList<DataSourceDescription>();
        for (DataSourceDescription description : matching) {
            if (description.isPool()) {
                pools.add(description);
            }
        }
        return pools.isEmpty() && selector.kind() != Selector.Kind.AUTO ? matching : pools;
    }

    /** Those alive and not closed by the application. */
    private static List<DataSourceDescription> open(List<DataSourceDescription> descriptions) {
        List<DataSourceDescription> open = new ArrayList<DataSourceDescription>();
        for (DataSourceDescription description : descriptions) {
            Object instance = description.instance();
            if (instance != null && !Boolean.TRUE.equals(DataSourceDescriber.read(instance, "isClosed"))) {
                open.add(description);
            }
        }
        return open;
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
            case CONTEXT:
                return description.contextPath().equals(selector.argument());
            case JNDI:
                return description.jndiName().equals(selector.argument());
            default:
                return false;
        }
    }

    private static boolean sameDatabase(List<DataSourceDescription> candidates) {
        for (DataSourceDescription candidate : candidates) {
            if (!candidate.sameDatabaseAs(candidates.get(0))) {
                return false;
            }
        }
        return true;
    }

    private static String others(DataSourceDescription bound, List<DataSourceDescription> candidates) {
        StringBuilder text = new StringBuilder();
        for (DataSourceDescription candidate : candidates) {
            if (candidate != bound) {
                text.append(text.length() == 0 ? "" : ", ").append(label(candidate));
            }
        }
        return text.toString();
    }

    private static String pickOne(String key, List<DataSourceDescription> candidates,
                                  List<DataSourceDescription> seen) {
        StringBuilder text = new StringBuilder(" Pick one:");
        for (DataSourceDescription candidate : candidates) {
            Selector unique = suggest(candidate, seen);
            if (unique == null) {
                text.append(" no match= tells ").append(label(candidate)).append(" apart (give the pools names);");
            } else {
                text.append(' ').append(key).append('=').append(unique).append(" (").append(label(candidate))
                        .append(");");
            }
        }
        return text.substring(0, text.length() - 1);
    }

    private static String label(DataSourceDescription description) {
        String owner = description.ownerText();
        return description.id() + (owner.isEmpty() ? "" : " " + owner);
    }

    /**
     * The selector that picks this DataSource alone among those seen (as a binding would: pools first), by pool name,
     * web application, JNDI name, URL or class, whichever is unique first; null when none is.
     */
    static Selector suggest(DataSourceDescription description, List<DataSourceDescription> seen) {
        List<Selector> options = new ArrayList<Selector>();
        if (!description.poolName().isEmpty()) {
            options.add(Selector.of(Selector.Kind.POOL, description.poolName()));
        }
        if (!description.contextPath().isEmpty()) {
            options.add(Selector.of(Selector.Kind.CONTEXT, description.contextPath()));
        }
        if (!description.jndiName().isEmpty()) {
            options.add(Selector.of(Selector.Kind.JNDI, description.jndiName()));
        }
        if (!description.url().isEmpty()) {
            options.add(Selector.of(Selector.Kind.URL, "^" + literalRegex(description.url()) + "$"));
        }
        options.add(Selector.of(Selector.Kind.CLASS, description.className()));
        for (Selector option : options) {
            List<DataSourceDescription> picked = option.kind() == Selector.Kind.JNDI ? matching(option, seen)
                    : candidates(option, seen);
            if (picked.size() == 1 && picked.get(0).instance() == description.instance()) {
                return option;
            }
        }
        return null;
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
            text.append(' ').append(label(description)).append(description.isPool() ? " pool" : " unpooled");
            if (!description.poolName().isEmpty()) {
                text.append(" '").append(description.poolName()).append('\'');
            }
            text.append(',');
        }
        text.setLength(text.length() - 1);
        return text.append(')').toString();
    }
}
