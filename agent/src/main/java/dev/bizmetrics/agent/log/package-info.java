/**
 * The agent's only logger: one timestamped line per entry on {@code stderr} with a {@code [bizmetrics]} prefix,
 * newlines escaped; messages from inside the host's class definitions are queued ({@code Log.defer}) and written by
 * the control thread. Used by every stage.
 *
 * <p>Inputs: messages and the level from the configuration. Outputs: lines on {@code System.err}.
 *
 * <p>Must not depend on any other package of the agent, nor on a logging framework or {@code java.util.logging}
 * (initialising it breaks hosts with their own LogManager), nor on {@code java.time} (it loads the time-zone
 * database in the host).
 */
package dev.bizmetrics.agent.log;
