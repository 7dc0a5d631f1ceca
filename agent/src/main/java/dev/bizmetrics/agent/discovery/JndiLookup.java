package dev.bizmetrics.agent.discovery;

import dev.bizmetrics.agent.log.Log;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

/**
 * Looks a {@code jndi:} name up the way the application would: {@code new InitialContext()} with the application's
 * class loader as the thread's context class loader, since the JNDI provider (set with
 * {@code java.naming.factory.initial} or {@code jndi.properties}) and the names it serves often depend on it, as in
 * Tomcat's {@code java:comp/env}. Each candidate loader is tried in turn; a name without a scheme is also tried under
 * {@code java:comp/env/}. Runs on the agent's thread, whose context class loader is restored afterwards.
 */
final class JndiLookup {

    /** What a lookup gave: the object bound to the name, or why there is none. */
    static final class Result {
        final Object found;
        final String problem;

        private Result(Object found, String problem) {
            this.found = found;
            this.problem = problem;
        }
    }

    private JndiLookup() {
    }

    static Result lookup(String name, List<ClassLoader> loaders) {
        List<String> names = new ArrayList<String>();
        names.add(name);
        if (!name.startsWith("java:") && name.indexOf(':') < 0) {
            names.add("java:comp/env/" + name);
        }
        // The most telling failure: a name not found by a provider beats "no provider for this loader".
        String problem = null;
        String noProvider = "no class loader to look it up with";
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try {
            for (ClassLoader loader : loaders) {
                thread.setContextClassLoader(loader);
                for (String candidate : names) {
                    try {
                        Object found = lookupOnce(candidate);
                        if (found != null) {
                            return new Result(found, null);
                        }
                        if (problem == null) {
                            problem = candidate + " is bound to null";
                        }
                    } catch (javax.naming.NoInitialContextException e) {
                        noProvider = Log.describe(e);
                    } catch (Throwable t) {
                        if (problem == null) {
                            problem = Log.describe(t);
                        }
                    }
                }
            }
        } finally {
            thread.setContextClassLoader(before);
        }
        return new Result(null, problem != null ? problem : noProvider);
    }

    private static Object lookupOnce(String name) throws Exception {
        javax.naming.Context context = new javax.naming.InitialContext(new Hashtable<Object, Object>());
        try {
            return context.lookup(name);
        } finally {
            try {
                context.close();
            } catch (Throwable ignored) {
                // nothing to release for us
            }
        }
    }
}
