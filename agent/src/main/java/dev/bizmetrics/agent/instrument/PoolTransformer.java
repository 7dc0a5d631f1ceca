package dev.bizmetrics.agent.instrument;

import dev.bizmetrics.agent.pools.PoolCatalog;
import dev.bizmetrics.agent.log.Log;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Weaves the discovery hook into the classes whose name is in the {@link PoolCatalog}. Registered from
 * {@code premain} on, it sees every class the host loads; for any other class the cost is one hash lookup, and Byte
 * Buddy's ASM is only touched for a match. Once the {@link DefinitionHook} is in, it is unregistered, and the hook
 * weaves pool classes with {@link #weaversByClassName}.
 *
 * <p>With {@code discovery.generic=true} ({@link #enableGeneric}) it also weaves every other class that
 * implements {@code javax.sql.DataSource} outside the JDK's packages, which costs a look at each class file's
 * header, and stays registered.
 */
public final class PoolTransformer implements ClassFileTransformer {

    private static final Set<String> ENTRY_METHODS = Collections.singleton(PoolCatalog.HOOKED_METHOD);

    private final Instrumentation instrumentation;
    private final Set<String> internalNames = new HashSet<String>(PoolCatalog.internalNamesToHook());
    private final Set<String> binaryNames = new HashSet<String>();
    /** Null unless generic discovery is on. */
    private volatile GenericMatcher generic;

    private PoolTransformer(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
        for (String registry : RegistryClasses.HOOKED) {
            internalNames.add(registry.replace('.', '/'));
        }
        for (String internalName : internalNames) {
            binaryNames.add(internalName.replace('/', '.'));
        }
    }

    /** Registers a transformer, so that every pool class loaded from now on is woven. */
    public static PoolTransformer register(Instrumentation instrumentation) {
        PoolTransformer transformer = new PoolTransformer(instrumentation);
        instrumentation.addTransformer(transformer, true);
        return transformer;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null) {
            return null;
        }
        if (!internalNames.contains(className)) {
            GenericMatcher matcher = generic;
            if (matcher == null || !matchesGenerically(matcher, loader, className, classBeingRedefined,
                    classfileBuffer)) {
                return null;
            }
        }
        return weave(className.replace('/', '.'), classfileBuffer);
    }

    /** Runs inside the host's class definition: its messages are deferred (see {@link Log#defer}). */
    private static byte[] weave(String className, byte[] classFile) {
        try {
            // The application's Prometheus registries report their construction only (export.host-registry).
            byte[] woven = RegistryClasses.HOOKED.contains(className)
                    ? HookWeaver.weave(classFile, Collections.<String>emptySet(), HookWeaver.HOST_REGISTRIES)
                    : HookWeaver.weave(classFile, ENTRY_METHODS);
            if (woven != null) {
                Log.defer(Log.Level.DEBUG, "instrumented " + className);
            }
            return woven;
        } catch (Throwable t) {
            Log.defer(Log.Level.WARN, "could not instrument " + className + "; " + (RegistryClasses.HOOKED.contains(className)
                    ? "the agent will not publish into registries of this class: " : "DataSources of this class will "
                    + "not be found: ") + Log.describe(t));
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

    /**
     * Weaves the classes of the catalog that were loaded before the transformer was added (a dynamic attach);
     * their instances are found on their next {@code getConnection}.
     */
    public void retransformLoaded() {
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (binaryNames.contains(type.getName()) && instrumentation.isModifiableClass(type)) {
                retransform(type);
            }
        }
    }

    /** What the {@link DefinitionHook} weaves: each class of the catalog, by binary name, with its weaver. */
    Map<String, Function<byte[], byte[]>> weaversByClassName() {
        Map<String, Function<byte[], byte[]>> weavers = new HashMap<String, Function<byte[], byte[]>>();
        for (final String className : binaryNames) {
            weavers.put(className, new Function<byte[], byte[]>() {
                @Override
                public byte[] apply(byte[] classFile) {
                    return weave(className, classFile);
                }
            });
        }
        return weavers;
    }

    /** Unregisters the transformer, once the {@link DefinitionHook} weaves pool classes as they are defined. */
    void unregister() {
        instrumentation.removeTransformer(this);
    }

    public boolean isGeneric() {
        return generic != null;
    }

    /**
     * Turns on generic discovery ({@code discovery.generic=true}): from now on any class implementing
     * {@code javax.sql.DataSource} is woven as it loads, and those already loaded are woven now. Calling it again
     * does nothing.
     */
    public synchronized void enableGeneric() {
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
            retransform(type);
        }
        Log.info("generic discovery is on: every javax.sql.DataSource class is instrumented ("
                + loaded.size() + " already loaded)");
    }

    private void retransform(Class<?> type) {
        try {
            instrumentation.retransformClasses(type);
        } catch (Throwable t) {
            Log.warn("could not instrument " + type.getName() + "; DataSources of this class will not be found", t);
        }
    }
}
