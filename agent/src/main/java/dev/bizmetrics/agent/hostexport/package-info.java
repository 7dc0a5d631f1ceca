/**
 * Publishing the agent's metrics into the application's own Prometheus registry ({@code export.host-registry=auto}):
 * the registries the woven constructors reported to {@code dev.bizmetrics.bootstrap.HostRegistries}, which of them
 * to publish into ({@link dev.bizmetrics.agent.hostexport.HostTarget}), the adapters defined into their class loaders
 * ({@link dev.bizmetrics.agent.hostexport.AdapterLoader}), the plain form of the last metrics they read
 * ({@link dev.bizmetrics.agent.hostexport.PlainFamilies}), and the thread that keeps it all current
 * ({@link dev.bizmetrics.agent.hostexport.HostExport}). Depends on {@code instrument} (the class names, reading class files), {@code log}, {@code threads} and the
 * bootstrap;
 * the host's classes are reached by reflection only, and the agent's relocated client never reaches the host.
 */
package dev.bizmetrics.agent.hostexport;
