package dev.bizmetrics.agent.instrument;

import dev.bizmetrics.agent.discovery.PoolCatalog;
import dev.bizmetrics.agent.log.Log;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sees every class the host loads and weaves the discovery hook into the few whose name is in the
 * {@link PoolCatalog}. For any other class the cost is one hash lookup; Byte Buddy's ASM is only touched for a
 * match, so the host pays nothing for it at start-up.
 *
 * <p>With {@code discovery.generic=true} ({@link #enableGeneric}) it also weaves every other class that
 * implements {@code javax.sql.DataSource} outside the JDK's packages, which costs a look at each class file's
 * header.
 */
public final class PoolTransformer implements ClassFileTransformer {

    private static final Set<String> ENTRY_METHODS = Collections.singleton(PoolCatalog.HOOKED_METHOD);

    private final Set<String> internalNames = new HashSet<String>(PoolCatalog.internalNamesToHook());
    /** Classes the JVM loaded since this transformer was added: how the agent tells that the host has started. */
    private final AtomicInteger classesLoaded = new AtomicInteger();
    /** Null unless generic discovery is on. */
    private volatile GenericMatcher generic;

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null) {
            return null;
        }
        if (classBeingRedefined == null) {
            classesLoaded.incrementAndGet();
        }
        if (!internalNames.contains(className)) {
            GenericMatcher matcher = generic;
            if (matcher == null || !matchesGenerically(matcher, loader, className, classBeingRedefined,
                    classfileBuffer)) {
                return null;
            }
        }
        try {
            byte[] woven = HookWeaver.weave(classfileBuffer, ENTRY_METHODS);
            Log.debug("instrumented " + className.replace('/', '.'));
            return woven;
        } catch (Throwable t) {
            Log.warn("could not instrument " + className.replace('/', '.') + "; DataSources of this class will not be found", t);
            return null;
        }
    }

    private static boolean matchesGenerically(GenericMatcher matcher, ClassLoader loader, String className,
                                              Class<?> classBeingRedefined, byte[] classfileBuffer) {
        try {
            if (classBeingRedefined != null) {
                return !matcher.isIgnored(className) && !classBeingRedefined.isInterface()
                        && javax.sql.DataSource.class.isAssignableFrom(classBeingRedefined);
            }
            return matcher.matches(loader, className, classfileBuffer);
        } catch (Throwable t) {
            return false;
        }
    }

    /** How many classes the JVM has loaded since this transformer was added. */
    public int classesLoaded() {
        return classesLoaded.get();
    }

    /**
     * Weaves the classes of the catalog that were loaded before the transformer was added (a dynamic attach);
     * their instances are found on their next {@code getConnection}.
     */
    public void retransformLoaded(Instrumentation instrumentation) {
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            String name = type.getName();
            if (internalNames.contains(name.replace('.', '/')) && instrumentation.isModifiableClass(type)) {
                retransform(instrumentation, type);
            }
        }
    }

    /**
     * Turns on generic discovery ({@code discovery.generic=true}): from now on any class implementing
     * {@code javax.sql.DataSource} is woven as it loads, and those already loaded are woven now. Calling it again
     * does nothing.
     */
    public synchronized void enableGeneric(Instrumentation instrumentation) {
        if (generic != null) {
            return;
        }
        GenericMatcher matcher = new GenericMatcher(internalNames);
        generic = matcher;
        List<Class<?>> loaded = new ArrayList<Class<?>>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            try {
                String internal = type.getName().replace('.', '/');
                if (!matcher.isIgnored(internal) && javax.sql.DataSource.class.isAssignableFrom(type)) {
                    matcher.learn(internal);
                    if (!type.isInterface() && !internalNames.contains(internal)
                            && instrumentation.isModifiableClass(type)) {
                        loaded.add(type);
                    }
                }
            } catch (Throwable t) {
                Log.debug("generic discovery skips " + type.getName() + ": " + Log.describe(t));
            }
        }
        for (Class<?> type : loaded) {
            retransform(instrumentation, type);
        }
        Log.info("generic discovery is on: every javax.sql.DataSource class is instrumented ("
                + loaded.size() + " already loaded)");
    }

    private static void retransform(Instrumentation instrumentation, Class<?> type) {
        try {
            instrumentation.retransformClasses(type);
        } catch (Throwable t) {
            Log.warn("could not instrument the already loaded " + type.getName(), t);
        }
    }
}
