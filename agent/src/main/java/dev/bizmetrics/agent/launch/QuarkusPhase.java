package dev.bizmetrics.agent.launch;

import java.lang.instrument.Instrumentation;

/**
 * A JVM started by Quarkus's runner either augments (re-builds the application: Keycloak's {@code start-dev} and an
 * unoptimised {@code start} do it first in a JVM that then exits, and {@code kc.sh} starts another) or runs the
 * application. The command line does not tell which, so, on {@code bizmetrics-init}, before anything of the agent
 * starts, this watches the classes the JVM loads: Quarkus's augmentation classes mean a build, its application
 * lifecycle class means the application runs. Polled every {@value #POLL_MILLIS} ms (one
 * {@code getAllLoadedClasses} each, about a millisecond); after {@value #MAX_WAIT_MILLIS} ms with neither, the agent
 * goes on as for an application.
 */
final class QuarkusPhase {

    static final long POLL_MILLIS = 500;
    static final long MAX_WAIT_MILLIS = 120_000;

    private static final String[] AUGMENTATION = {"io.quarkus.bootstrap.app.CuratedApplication",
        "io.quarkus.deployment.QuarkusAugmentor"};
    private static final String APPLICATION = "io.quarkus.runtime.ApplicationLifecycleManager";

    private QuarkusPhase() {
    }

    /** @return true when this JVM augments (builds) rather than runs the application */
    static boolean awaitAugmenting(Instrumentation instrumentation) {
        long waited = 0;
        try {
            while (waited < MAX_WAIT_MILLIS) {
                Boolean augmenting = phase(instrumentation.getAllLoadedClasses());
                if (augmenting != null) {
                    return augmenting;
                }
                Thread.sleep(POLL_MILLIS);
                waited += POLL_MILLIS;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** True when augmentation classes are loaded, false when the application's lifecycle is, null when neither. */
    static Boolean phase(Class<?>[] loaded) {
        boolean application = false;
        for (Class<?> type : loaded) {
            String name = type.getName();
            if (!name.startsWith("io.quarkus.")) {
                continue;
            }
            for (String augmentation : AUGMENTATION) {
                if (name.equals(augmentation)) {
                    return Boolean.TRUE;
                }
            }
            application |= name.equals(APPLICATION);
        }
        return application ? Boolean.FALSE : null;
    }
}
