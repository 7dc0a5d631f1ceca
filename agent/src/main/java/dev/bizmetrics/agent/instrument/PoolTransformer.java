package dev.bizmetrics.agent.instrument;

import dev.bizmetrics.agent.discovery.PoolCatalog;
import dev.bizmetrics.agent.log.Log;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * Sees every class the host loads and weaves the discovery hook into the few whose name is in the
 * {@link PoolCatalog}. For any other class the cost is one hash lookup; Byte Buddy's ASM is only touched for a
 * match, so the host pays nothing for it at start-up.
 */
public final class PoolTransformer implements ClassFileTransformer {

    private static final Set<String> ENTRY_METHODS = Collections.singleton(PoolCatalog.HOOKED_METHOD);

    private final Set<String> internalNames = new HashSet<String>(PoolCatalog.byInternalName().keySet());

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null || !internalNames.contains(className)) {
            return null;
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

    /**
     * Weaves the classes of the catalog that were loaded before the transformer was added (a dynamic attach);
     * their instances are found on their next {@code getConnection}.
     */
    public void retransformLoaded(Instrumentation instrumentation) {
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            String name = type.getName();
            if (internalNames.contains(name.replace('.', '/')) && instrumentation.isModifiableClass(type)) {
                try {
                    instrumentation.retransformClasses(type);
                } catch (Throwable t) {
                    Log.warn("could not instrument the already loaded " + name, t);
                }
            }
        }
    }

    /** Loads the weaving classes on the agent's thread so that the host's first pool class does not wait for it. */
    public static void warmUp() {
        try {
            HookWeaver.weave(ClassBytes.read(PoolTransformer.class.getClassLoader(), PoolTransformer.class.getName()),
                    ENTRY_METHODS);
        } catch (Throwable t) {
            Log.debug("weaver warm-up failed: " + Log.describe(t));
        }
    }
}
