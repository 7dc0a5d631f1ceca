package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.discovery.Binding;
import dev.bizmetrics.agent.engine.QueryState;
import dev.bizmetrics.agent.expose.AgentView;

/** {@code /-/ready}: every configured DataSource bound and every query run once. */
final class Readiness {

    private Readiness() {
    }

    /** Null when ready, else the first reason why not, in one line. */
    static String notReadyBecause(AgentView view) {
        if (view.queries().isEmpty() && !view.lastLoad().isValid()) {
            return "the configuration is invalid (" + view.lastLoad().problems().size() + " problems); see /";
        }
        for (Binding binding : view.bindings().values()) {
            if (!binding.isBound()) {
                return "datasource " + binding.name() + " is not bound: " + binding.explanation();
            }
        }
        for (QueryState state : view.queries().values()) {
            if (state.last() == null) {
                return "query " + state.spec().id() + " has not run yet"
                        + (state.waitingFor() == null ? "" : " (" + state.waitingFor() + ")");
            }
        }
        return null;
    }
}
