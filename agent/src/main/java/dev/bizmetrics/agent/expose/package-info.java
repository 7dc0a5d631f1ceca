/**
 * Stage: exposition. {@code MetricsCollector}, a client_java {@code MultiCollector} registered on the runtime's
 * private {@code PrometheusRegistry}, turns one snapshot into the business metrics (the snapshots the last
 * successful runs built) and the {@code bizmetrics_*} self-metrics, from the snapshot a {@code state.AgentView}
 * gives.
 *
 * <p>Inputs: an {@code AgentSnapshot}. Outputs: {@code MetricSnapshots}; no SQL, no waiting.
 *
 * <p>Must not depend on {@code runtime} or {@code http}, nor use {@code PrometheusRegistry.defaultRegistry} or
 * {@code PrometheusProperties.get()} (the host's own Prometheus settings).
 */
package dev.bizmetrics.agent.expose;
