package dev.bizmetrics.agent.discovery;

import dev.bizmetrics.agent.config.Selector;

/** Which DataSource a configured name means right now, or why none. Immutable. */
public final class Binding {

    /** Why a name is bound, or why it is not. */
    public enum Reason {
        /** Bound: the selector picked one DataSource. */
        BOUND(true),
        /** Not bound: no pool seen yet for {@code auto}, the usual state until the application creates one. */
        NOTHING_SEEN(false),
        /** Not bound: no DataSource seen matches the selector. */
        NO_MATCH(false),
        /** Not bound: several DataSources match; the detail says which {@code match=} would pick each. */
        SEVERAL_MATCH(false),
        /**
         * Not bound yet: several DataSources of the same database match and the application has asked none of them
         * for a connection; the one it first uses is bound.
         */
        WAITING_FOR_USE(false),
        /** Not bound: the JNDI name does not resolve (yet), or not to a DataSource. */
        JNDI_PENDING(false);

        private final boolean bound;

        Reason(boolean bound) {
            this.bound = bound;
        }

        public boolean isBound() {
            return bound;
        }
    }

    private final String name;
    private final Selector selector;
    private final DataSourceDescription bound;
    private final Reason reason;
    private final String detail;

    Binding(String name, Selector selector, DataSourceDescription bound, Reason reason, String detail) {
        this.name = name;
        this.selector = selector;
        this.bound = bound;
        this.reason = reason;
        this.detail = detail;
    }

    /** The configured name, e.g. {@code main}. */
    public String name() {
        return name;
    }

    /** The bound DataSource, or null. */
    public DataSourceDescription bound() {
        return bound;
    }

    public boolean isBound() {
        return bound != null;
    }

    public Reason reason() {
        return reason;
    }

    /** Why this DataSource was chosen, or why none was, in a sentence for the status page and the log. */
    public String explanation() {
        return reason == Reason.BOUND ? "bound by datasource." + name + ".match=" + selector
                + (detail == null ? "" : ": " + detail) : detail;
    }

    /** The selector this binding was made for. */
    Selector selector() {
        return selector;
    }

    /** This binding kept, with the DataSource described as it is now. */
    Binding keptWith(DataSourceDescription now) {
        return new Binding(name, selector, now, Reason.BOUND, detail);
    }

    /** Same outcome: same reason, same DataSource, same explanation. */
    boolean sameAs(Binding other) {
        return other != null && reason == other.reason && explanation().equals(other.explanation())
                && (bound == null ? other.bound == null : other.bound != null
                && bound.instance() == other.bound.instance());
    }
}
