/**
 * Stage: composition root. {@link dev.bizmetrics.agent.Agent} runs on the {@code bizmetrics-init} thread that
 * {@code launch} starts: it finishes the instrumentation (retransforms pool classes loaded before a dynamic attach,
 * installs the {@code ClassLoader} hook), waits for the host's start-up to settle and starts the
 * {@code runtime.Runtime}, which owns everything from then on. {@link dev.bizmetrics.agent.Version} reads the jar's
 * version.
 *
 * <p>Inputs: the parsed agent arguments, the {@code Instrumentation} and the registered transformer, from
 * {@code launch}. Outputs: a started runtime; nothing static.
 *
 * <p>Must not depend on {@code launch} (which calls in here: the other way would be a cycle), nor on the stages the
 * runtime composes ({@code discovery}, {@code engine}, {@code http}, ...): it wires instrumentation to the runtime
 * and nothing else.
 */
package dev.bizmetrics.agent;
