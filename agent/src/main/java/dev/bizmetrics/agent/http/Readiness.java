package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.discovery.Binding;
import dev.bizmetrics.agent.state.AgentView;
import dev.bizmetrics.agent.state.AgentSnapshot;
import dev.bizmetrics.agent.state.FleetStatus;
import dev.bizmetrics.agent.state.QueryState;

/**
 * {@code /-/ready}: every configured DataSource bound, its fleet's lock tried once, and every query this replica runs
 * run once.
 */
final class Readiness {

    private Readiness() {
    }

    /** Null when ready, else the first reason why not, in one line. */
    static String notReadyBecause(AgentView view) {
        return notReadyBecause(view.snapshot());
    }

    static String notReadyBecause(AgentSnapshot agent) {
        if (agent.running() == null) {
            return "the configuration is invalid (" + agent.lastLoad().problems().size() + " problems); see /";
        }
        for (Binding binding : agent.discovery().bindings().values()) {
            if (!binding.isBound()) {
                return "datasource " + binding.name() + " is not bound: " + binding.explanation();
            }
        }
        for (FleetStatus fleet : agent.fleets().values()) {
            if (fleet.reason() == FleetStatus.Reason.STARTING) {
                return "datasource " + fleet.dataSource() + " neither leads nor follows fleet " + fleet.fleet()
                        + " yet: " + fleet.detail();
            }
        }
        for (QueryState state : agent.queries().values()) {
            // A follower is ready without running the fleet's queries: it stands by.
            if (state.last() == null && agent.runsHere(state.spec())) {
                return "query " + state.spec().id() + " has not run yet"
                        + (state.waitingFor() == null ? "" : " (" + state.waitingFor() + ")");
            }
        }
        return null;
    }
}
