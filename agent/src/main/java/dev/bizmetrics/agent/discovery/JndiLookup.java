package dev.bizmetrics.agent.discovery;

import dev.bizmetrics.agent.log.Log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;

/**
 * Looks a {@code jndi:} name up the way the application would: {@code new InitialContext()} with the application's
 * class loader as the thread's context class loader, since the JNDI provider (set with
 * {@code java.naming.factory.initial} or {@code jndi.properties}) and the names it serves often depend on it, as in
 * Tomcat's {@code java:comp/env}, which serves the naming context of the web application whose loader it is. The name
 * is looked up with each candidate loader (every web application's, so a {@code <Resource>} in Tomcat's shared
 * {@code conf/context.xml} gives each application's own pool); a name without a scheme is also tried under
 * {@code java:comp/env/}. Runs on the agent's thread, whose context class loader is restored afterwards.
 */
final class JndiLookup {

    /** What a lookup gave: the distinct objects bound to the name, in the loaders' order, or why there is none. */
    static final class Result {
        final List<Object> found;
        final String problem;

        private Result(List<Object> found, String problem) {
            this.found = Collections.unmodifiableList(found);
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
        List<Object> found = new ArrayList<Object>();
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
                        Object object = lookupOnce(candidate);
                        if (object != null) {
                            addOnce(found, object);
                            break;
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
        return new Result(found, found.isEmpty() ? (problem != null ? problem : noProvider) : null);
    }

    private static void addOnce(List<Object> found, Object object) {
        for (Object known : found) {
            if (known == object) {
                return;
            }
        }
        found.add(object);
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
