/**
 * Stage: bootstrap registry. The one class, {@link dev.bizmetrics.bootstrap.DataSourceRegistry}, that
 * {@code launch} copies into a one-entry jar on the bootstrap class path, so that a hook woven into a class of any
 * class loader reaches one and the same registry.
 *
 * <p>Inputs: the woven hooks' calls ({@code created}, {@code used}) from the host's threads, and every class
 * definition once {@code java.lang.ClassLoader} is hooked ({@code defining}). Outputs: the DataSources seen, held
 * weakly ({@code snapshot}, {@code isUsed}, {@code version}), the count of swallowed hook errors, and the class
 * file to define.
 *
 * <p>Must not depend on anything but the JDK's {@code java.base}: no class of the agent (the boot loader cannot see
 * them), no {@code java.sql} (not visible from the boot loader on Java 9+), no second class of its own (only
 * {@code DataSourceRegistry} is copied). This file holds only a comment: the empty {@code package-info.class} the
 * build makes of it is left out of the agent jar (agent/pom.xml), and the bootstrap jar takes the registry alone.
 */
package dev.bizmetrics.bootstrap;
