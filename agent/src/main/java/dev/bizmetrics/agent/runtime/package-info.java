/**
 * Stage: lifecycle and scheduling. {@code Runtime} owns every agent thread ({@code bizmetrics-control},
 * {@code -timer}, {@code -cancel-N}; the query workers through {@code Scheduler}; the port through
 * {@code http.MetricsServer}) and the lifecycle: start, reload (file change or {@code POST /-/reload}), close.
 * {@code Scheduler} plans each query on its interval with back-off, on per-DataSource workers capped at
 * {@code max-connections}. {@code SnapshotStore} is the one reference the snapshot is published through.
 *
 * <p>Inputs: the {@code ConfigSource}, the bootstrap registry (through {@code discovery}), the results of
 * {@code engine}. Outputs: {@code state.AgentSnapshot} values, each a pure change of the one before, read by the
 * collector, the status page and readiness.
 *
 * <p>Only the composition root ({@code dev.bizmetrics.agent}) may depend on this package; it must not be imported
 * by any stage it composes.
 */
package dev.bizmetrics.agent.runtime;
