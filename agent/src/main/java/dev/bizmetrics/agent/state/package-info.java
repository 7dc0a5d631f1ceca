/**
 * Stage: snapshot. {@code AgentSnapshot}, everything the agent knows at one moment as one immutable value: the last
 * load and its problems, the configuration in effect, the port ({@code PortState}), the discovery result, each
 * query's {@code QueryState} (keyed by the very spec it belongs to, so that a run of a replaced query stores
 * nothing), the hook error count.
 *
 * <p>Inputs: values of {@code config}, {@code discovery} and {@code engine}. Outputs: new snapshots
 * ({@code with...}, {@code updateQuery}); readers are pure functions of one snapshot.
 *
 * <p>Must not depend on {@code runtime}, {@code expose} or {@code http} (its writers and readers), and holds no
 * thread, lock or mutable field.
 */
package dev.bizmetrics.agent.state;
