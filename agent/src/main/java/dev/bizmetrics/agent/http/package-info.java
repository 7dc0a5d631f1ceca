/**
 * Stage: http. The agent's own HTTP/1.1 server ({@code HttpListener}, one thread per connection, bounded, every wait
 * on a client with a deadline), basic auth and TLS, and the routes: {@code /metrics} through client_java's scrape
 * handler, the status page, {@code /-/healthy}, {@code /-/ready}, {@code POST /-/reload}.
 *
 * <p>Inputs: {@code config.HttpSettings}, the private {@code PrometheusRegistry}, a {@code state.AgentView} and a
 * {@code Reloader} (implemented by the runtime). Outputs: responses; pages and readiness are functions of one
 * snapshot. Threads:
 * {@code bizmetrics-http-accept}, {@code bizmetrics-http-watchdog}, {@code bizmetrics-http-N}.
 *
 * <p>Must not depend on {@code runtime} nor run SQL or discovery on its threads (a reload is handed to the control
 * thread through {@code Reloader}); it reads {@code engine} and {@code discovery} values only as they are in the
 * snapshot. It sets no system property of the host.
 */
package dev.bizmetrics.agent.http;
