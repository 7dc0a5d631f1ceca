package dev.bizmetrics.agent.state;

/** Where readers take what the agent knows: one consistent snapshot per call. */
public interface AgentView {

    AgentSnapshot snapshot();
}
