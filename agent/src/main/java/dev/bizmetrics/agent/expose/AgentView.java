package dev.bizmetrics.agent.expose;

import dev.bizmetrics.agent.state.AgentSnapshot;

/** Where readers take what the agent knows: one consistent snapshot per call. */
public interface AgentView {

    AgentSnapshot snapshot();
}
