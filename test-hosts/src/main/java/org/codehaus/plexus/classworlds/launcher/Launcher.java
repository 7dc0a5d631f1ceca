package org.codehaus.plexus.classworlds.launcher;

import dev.bizmetrics.testhosts.PoolsHost;

/**
 * A JVM that looks like Maven from outside (Maven's launcher class is its main) and has pools like an application:
 * what {@code MAVEN_OPTS} or {@code JAVA_TOOL_OPTIONS} holding the agent gives. Same arguments as {@link PoolsHost}.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        PoolsHost.main(args);
    }
}
