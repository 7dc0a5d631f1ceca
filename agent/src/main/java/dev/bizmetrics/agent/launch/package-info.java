/**
 * Stage: start. {@code premain}, {@code agentmain} and the command line ({@code version}, {@code check},
 * {@code list}, {@code attach}). On the host's thread it only parses the arguments, skips the JDK's tools, puts the
 * one registry class on the bootstrap class path and registers the transformer; the rest goes to the daemon thread
 * {@code bizmetrics-init} ({@link dev.bizmetrics.agent.Agent}).
 *
 * <p>Inputs: the {@code -javaagent} argument text, the {@code Instrumentation}, {@code sun.java.command}; for the
 * command line, its arguments. Outputs: the registry on the bootstrap class path, a registered
 * {@code instrument.PoolTransformer}, the {@code bizmetrics-init} thread; for the command line, text and an exit
 * code.
 *
 * <p>Must not depend on {@code runtime}, {@code discovery}, {@code engine}, {@code http} or {@code state}: whatever
 * it loads, it loads in the host's {@code premain}. It must never throw into the host nor call
 * {@code System.exit} outside {@code main}.
 */
package dev.bizmetrics.agent.launch;
