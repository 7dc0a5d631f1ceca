/**
 * Fleet mode's coordination: the database session lock that makes one replica per (fleet, datasource) the leader.
 * Stage: beside the engine, on the control thread, before a fleet-scoped query runs. Input: a connection borrowed
 * from the host's pool and the fleet and datasource names from the configuration. Output: a {@link
 * dev.bizmetrics.agent.fleet.LockState} per attempt (ours, not ours, or unusable with a sentence saying why), the
 * lock's key as a DBA would look it up, and a connection left as it was lent apart from the session lock itself:
 * plain statements with literals, bounded by a timeout, and no transaction left open.
 */
package dev.bizmetrics.agent.fleet;
