/**
 * The catalog of recognised pool classes: their exact names, the method that hands out connections, and how to read
 * each one's pool name and JDBC URL. Data, read by two stages: {@code instrument} (which classes and methods to
 * hook) and {@code discovery} (how to describe an instance).
 *
 * <p>Inputs: none. Outputs: the names and accessors.
 *
 * <p>Must not depend on any other package of the agent, and loading it must touch no class of the host: it is read
 * in {@code premain}.
 */
package dev.bizmetrics.agent.pools;
