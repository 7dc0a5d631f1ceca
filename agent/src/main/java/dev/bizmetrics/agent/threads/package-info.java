/**
 * The thread factory of every agent thread: daemon threads named {@code bizmetrics-<purpose>} or
 * {@code bizmetrics-<purpose>-N}, whose uncaught errors are logged. Used by {@code runtime} and {@code http}.
 *
 * <p>Inputs: a purpose. Outputs: threads that never keep the host's JVM alive.
 *
 * <p>Must not depend on any package of the agent but {@code log}.
 */
package dev.bizmetrics.agent.threads;
