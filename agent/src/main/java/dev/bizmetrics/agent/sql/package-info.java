/**
 * The guard in depth around a query's text and its run: the statement check by each database's lexical rules
 * ({@code StatementCheck}, {@code Lexer}, {@code Inspection}, {@code RefusedFunctions}), and the session guard per
 * database ({@code SessionGuard}: the wrapped statement, server-side timeouts, the clean-up of session state after
 * the run). Used by two stages: {@code config} checks every query at load, {@code engine} again right before a run.
 *
 * <p>Inputs: a SQL text, the {@code allow-any-sql} setting, a JDBC {@code Connection} (its database).
 * Outputs: a {@code Verdict} (passed with the statement to run, or refused with why), and what a run left on the
 * session.
 *
 * <p>Must not depend on any other package of the agent: {@code config} depends on it.
 */
package dev.bizmetrics.agent.sql;
