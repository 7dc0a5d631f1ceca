/**
 * Stage: configuration. One {@code ConfigSource} (the file's location, the precedence of agent arguments, system
 * properties, environment and file, {@code ${}} placeholders, the file's syntax) read by {@code premain} and the
 * loader alike; {@code ConfigParser} validates into immutable specs, each problem with its key and line.
 *
 * <p>Inputs: the agent arguments, system properties, environment and the properties file (a regular file of at most
 * 1 MiB). Outputs: a {@code LoadedConfig}, valid ({@code AgentConfig} with {@code QuerySpec}, {@code MetricSpec},
 * {@code DataSourceSpec}, {@code HttpSettings}) or with every {@code Problem}; a reload builds a new one, never
 * half-applied.
 *
 * <p>Must not depend on {@code discovery}, {@code engine}, {@code state}, {@code runtime}, {@code expose} or
 * {@code http}. It uses {@code sql} (the statement check at load) and {@code log} only. The parts {@code premain}
 * reads compile no regular expression.
 */
package dev.bizmetrics.agent.config;
