/**
 * Stage: run. {@code QueryRunner} runs one query on a connection borrowed from the host's pool: a borrow deadline,
 * read-only, a rolled-back transaction, {@code setQueryTimeout} and a cancel fired by the timer, the session put
 * back; {@code RowMapper} turns the rows into client_java metric snapshots once per run.
 *
 * <p>Inputs: a {@code QuerySpec}, the bound {@code javax.sql.DataSource}, the timer and the cancel executor (owned by
 * {@code runtime}). Outputs: an immutable {@code QueryResult} (outcome, duration, rows, drops by
 * {@code DropReason}, the metric snapshots). Runs on the {@code bizmetrics-query-*} threads.
 *
 * <p>Must not depend on {@code runtime}, {@code state}, {@code discovery}, {@code expose} or {@code http}: it knows
 * nothing of schedules or of the snapshot, and owns no thread.
 */
package dev.bizmetrics.agent.engine;
