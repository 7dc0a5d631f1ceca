/**
 * Stage: instrument. Weaves {@code DataSourceRegistry.created(this)} and {@code used(this)} into the pool classes
 * of {@code pools.PoolCatalog} (and, with {@code discovery.generic=true}, into any {@code javax.sql.DataSource}),
 * with Byte Buddy's bundled ASM. A JDK-only transformer does it from {@code premain} on; once the agent has woven a
 * hook into {@code java.lang.ClassLoader.defineClass} ({@code DefinitionHook}) that hook does it and the
 * transformer is unregistered.
 *
 * <p>Inputs: class files as the host defines them, the {@code Instrumentation}, the catalog's class names. Outputs:
 * woven class files (no new field or method), the weavers handed once to the bootstrap registry, and a reason when
 * the transformer has to stay.
 *
 * <p>Must not depend on {@code config}, {@code discovery}, {@code engine}, {@code runtime} or {@code http}. Its code
 * runs inside the host's class definitions: it writes nothing to {@code System.out}/{@code System.err} there
 * (messages go through {@code Log.defer}) and never throws into the host.
 */
package dev.bizmetrics.agent.instrument;
