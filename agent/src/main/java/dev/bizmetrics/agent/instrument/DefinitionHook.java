package dev.bizmetrics.agent.instrument;

import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.bootstrap.DataSourceRegistry;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.InputStream;
import java.lang.instrument.ClassDefinition;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Lets the agent find pools without a class-file transformer registered. With one registered, the JVM hands every
 * class it loads to Java as a fresh byte array: on a Spring Boot host that is 5,000 classes, tens of milliseconds of
 * its start-up and megabytes of heap (bench/README.md). Instead, the two {@code java.lang.ClassLoader.defineClass}
 * methods every class definition goes through hand the class file to {@code DataSourceRegistry.defining} first
 * ({@link DefineClassWeaver}), which has the {@link PoolTransformer} weave it when it is a pool class: the JVM never
 * sees an unwoven pool class, as with the transformer, and nothing is redefined later.
 *
 * <p>The hook is installed by redefinition, not by retransformation: a later retransformation of
 * {@code ClassLoader} by another agent starts again from the bytes of the last redefinition, so it keeps the hook.
 * Every class a class loader defines goes through it, on every JDK the agent runs on, except the boot loader's and
 * those of {@code MethodHandles.Lookup.defineClass} and hidden classes (proxies, lambdas): none of them a pool. Classes
 * mapped from a CDS archive or an AOT cache are not defined at all, and the JVM leaves a
 * redefined {@code ClassLoader} out of an archive it writes (Java 25 then fails to create its AOT cache): when the JVM
 * uses or writes a class archive ({@code -XX:SharedArchiveFile}, {@code -XX:AOTCache},
 * {@code -XX:ArchiveClassesAtExit}...), the transformer stays and {@code ClassLoader} is left as it is.
 *
 * <p>Used on HotSpot from Java 9 on; on Java 8 and other JVMs the transformer stays, as the hook has not been tested
 * there.
 */
public final class DefinitionHook {

    /** HotSpot's flags that make it use or write an archive of classes: CDS, and the AOT cache of Java 24 on. */
    private static final String[] ARCHIVE_FLAGS = {"SharedArchiveFile", "ArchiveClassesAtExit", "SharedClassListFile",
        "DumpLoadedClassList", "RecordDynamicDumpInfo", "AOTCache", "AOTCacheOutput", "AOTConfiguration"};

    /**
     * How long the transformer stays after the hook is in. A definition that entered {@code defineClass} before the
     * redefinition runs the old code, without the hook, and reaches the transformer microseconds later, unless its
     * thread is held up in between; until the transformer goes, such a pool class is still woven.
     */
    private static final long IN_FLIGHT_MILLIS = 50;

    private DefinitionHook() {
    }

    /**
     * Installs the hook, checks that it sees classes defined both ways, then has it weave pool classes and unregisters
     * the transformer. Never throws.
     *
     * @return null when the hook took over, else why the transformer stays registered
     */
    public static String install(Instrumentation instrumentation, PoolTransformer transformer) {
        if (transformer.isGeneric()) {
            return "generic discovery is on";
        }
        if (System.getProperty("java.specification.version", "").startsWith("1.")) {
            return "the class definition hook is not used on Java 8";
        }
        try {
            String archive = classArchive();
            if (archive != null) {
                return archive;
            }
            // From java.base's image directly: the system class loader's resource lookup takes milliseconds longer.
            InputStream classFile = ClassLoader.class.getResourceAsStream("ClassLoader.class");
            if (classFile == null) {
                return "this JDK does not give java.lang.ClassLoader's class file";
            }
            byte[] hooked = DefineClassWeaver.weave(ClassBytes.readAll(classFile));
            if (hooked == null) {
                return "this JDK's java.lang.ClassLoader lacks " + DefineClassWeaver.FROM_BYTES + " or "
                        + DefineClassWeaver.FROM_BUFFER;
            }
            letJavaBaseReadRegistry(instrumentation);
            Probe probe = new Probe();
            // Pool classes are woven from the start: weaving is idempotent, so one the transformer also sees while
            // both are in place is woven once.
            Map<String, Function<byte[], byte[]>> weavers = new HashMap<String, Function<byte[], byte[]>>(
                    transformer.weaversByClassName());
            weavers.putAll(probe.weavers());
            if (!DataSourceRegistry.weaveDefinitions(Collections.unmodifiableMap(weavers))) {
                return unexpected("the class definition hook was set up already");
            }
            instrumentation.redefineClasses(new ClassDefinition(ClassLoader.class, hooked));
            if (!probe.seesBothWays()) {
                return unexpected("the class definition hook did not see a class defined");
            }
            Thread.sleep(IN_FLIGHT_MILLIS);
            transformer.unregister();
            return null;
        } catch (Throwable t) {
            return unexpected("the class definition hook could not be installed (" + Log.describe(t) + ")");
        }
    }

    private static String unexpected(String why) {
        Log.warn(why + "; pools are still found, by a class-file transformer that costs some start-up time");
        return why;
    }

    /**
     * Which class archive the JVM uses or writes, or null for none. Read from HotSpot itself, which also knows the
     * flags given in {@code JAVA_TOOL_OPTIONS} or an argument file.
     */
    private static String classArchive() {
        HotSpotDiagnosticMXBean hotspot;
        try {
            hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        } catch (IllegalArgumentException notHotSpot) {
            hotspot = null;
        }
        if (hotspot == null) {
            return "the class definition hook is only used on HotSpot JVMs";
        }
        for (String flag : ARCHIVE_FLAGS) {
            String value;
            try {
                value = hotspot.getVMOption(flag).getValue();
            } catch (IllegalArgumentException notOnThisJdk) {
                continue;
            }
            if (!value.isEmpty() && !value.equals("false")) {
                return "the JVM uses a class archive (-XX:" + flag + "=" + value + ")";
            }
        }
        return null;
    }

    /**
     * {@code java.base} reads only named modules; the registry is in the boot loader's unnamed module. By reflection,
     * as the agent is built for Java 8.
     */
    private static void letJavaBaseReadRegistry(Instrumentation instrumentation) throws Exception {
        Class<?> module = Class.forName("java.lang.Module");
        Method getModule = Class.class.getMethod("getModule");
        Object javaBase = getModule.invoke(ClassLoader.class);
        Object registry = getModule.invoke(DataSourceRegistry.class);
        Method redefineModule = Instrumentation.class.getMethod("redefineModule", module, Set.class, Map.class,
                Map.class, Set.class, Map.class);
        redefineModule.invoke(instrumentation, javaBase, Collections.singleton(registry),
                Collections.<String, Set<Object>>emptyMap(), Collections.<String, Set<Object>>emptyMap(),
                Collections.<Class<?>>emptySet(), Collections.<Class<?>, List<Class<?>>>emptyMap());
    }

    /**
     * Two empty classes, defined once each way, from an array and from a direct buffer, to see the hook work before
     * the transformer goes.
     */
    private static final class Probe implements Function<byte[], byte[]> {
        private static final String FROM_BYTES = "dev.bizmetrics.agent.instrument.ProbeFromBytes";
        private static final String FROM_BUFFER = "dev.bizmetrics.agent.instrument.ProbeFromBuffer";
        private int seen;

        Map<String, Function<byte[], byte[]>> weavers() {
            Map<String, Function<byte[], byte[]>> weavers = new HashMap<String, Function<byte[], byte[]>>();
            weavers.put(FROM_BYTES, this);
            weavers.put(FROM_BUFFER, this);
            return weavers;
        }

        @Override
        public synchronized byte[] apply(byte[] classFile) {
            seen++;
            return null;
        }

        boolean seesBothWays() {
            ProbeLoader loader = new ProbeLoader();
            byte[] fromBytes = classFile(FROM_BYTES);
            loader.define(FROM_BYTES, fromBytes, 0, fromBytes.length);
            byte[] fromBuffer = classFile(FROM_BUFFER);
            ByteBuffer direct = ByteBuffer.allocateDirect(fromBuffer.length);
            direct.put(fromBuffer).flip();
            loader.define(FROM_BUFFER, direct);
            synchronized (this) {
                return seen == 2;
            }
        }

        private static byte[] classFile(String name) {
            ClassWriter writer = new ClassWriter(0);
            writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name.replace('.', '/'), null,
                    "java/lang/Object", null);
            writer.visitEnd();
            return writer.toByteArray();
        }
    }

    private static final class ProbeLoader extends ClassLoader {
        ProbeLoader() {
            super(null);
        }

        void define(String name, byte[] classFile, int off, int len) {
            defineClass(name, classFile, off, len);
        }

        void define(String name, ByteBuffer classFile) {
            defineClass(name, classFile, null);
        }
    }
}
