package dev.bizmetrics.testhosts;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Another Java agent, as APM agents are: {@code -javaagent:test-hosts.jar}. When its host asks
 * ({@link #retransformClassLoader}), it registers a retransformation-capable transformer that changes nothing and
 * retransforms {@code java.lang.ClassLoader}, which makes the JVM rebuild that class from the bytes it was last
 * defined or redefined with, dropping whatever a transformer no longer registered had woven.
 */
public final class RetransformingAgent {

    private static volatile Instrumentation instrumentation;

    private RetransformingAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        instrumentation = inst;
    }

    /** @return how many times the transformer saw {@code java.lang.ClassLoader} */
    static int retransformClassLoader() throws Exception {
        Instrumentation inst = instrumentation;
        if (inst == null) {
            throw new IllegalStateException("start the host with -javaagent:test-hosts.jar");
        }
        int[] seen = new int[1];
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                                    ProtectionDomain protectionDomain, byte[] classfileBuffer) {
                if ("java/lang/ClassLoader".equals(className)) {
                    seen[0]++;
                }
                return null;
            }
        }, true);
        inst.retransformClasses(ClassLoader.class);
        return seen[0];
    }
}
