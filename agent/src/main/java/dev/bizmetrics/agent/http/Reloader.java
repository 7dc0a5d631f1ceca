package dev.bizmetrics.agent.http;

import java.util.List;

/** Re-reads the configuration file now ({@code POST /-/reload}). */
public interface Reloader {

    /** The outcome of one reload: applied, or refused with every problem. */
    final class Result {
        private final boolean applied;
        private final List<String> lines;

        public Result(boolean applied, List<String> lines) {
            this.applied = applied;
            this.lines = lines;
        }

        public boolean applied() {
            return applied;
        }

        /** A summary when applied, else one line per problem. */
        public List<String> lines() {
            return lines;
        }
    }

    Result reload();
}
