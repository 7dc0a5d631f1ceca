/**
 * Stage: discovery and binding. Describes each DataSource the hooks reported (by reflection on its getters, once,
 * and again when the application first uses it), resolves wrappers, looks up {@code jndi:} names with the
 * application's class loaders, and applies each {@code datasource.<name>.match} ({@code Binder}).
 *
 * <p>Inputs: the bootstrap registry's instances, the configured {@code DataSourceSpec}s with their typed
 * {@code Selector}, the JNDI naming contexts. Outputs: an immutable {@code DiscoveryResult}: the descriptions and a
 * {@code Binding} (bound, or a typed reason) per configured name. Runs on {@code bizmetrics-control} only.
 *
 * <p>Must not depend on {@code engine}, {@code state}, {@code runtime}, {@code expose} or {@code http}, and must not
 * hold host objects strongly: instances and class loaders are held through weak references.
 */
package dev.bizmetrics.agent.discovery;
