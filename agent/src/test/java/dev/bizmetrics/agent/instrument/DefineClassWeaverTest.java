package dev.bizmetrics.agent.instrument;

import dev.bizmetrics.bootstrap.DataSourceRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hook in {@code ClassLoader.defineClass}, woven into a class of the same shape ({@link FakeClassLoader}) and run:
 * a pool class is defined from its woven class file, anything else exactly as it came.
 */
class DefineClassWeaverTest {

    private static final byte[] WOVEN = {9, 9, 9};
    /** The registry takes its weavers once per JVM; each test puts its own in this map, which the registry reads. */
    private static final Map<String, Function<byte[], byte[]>> WEAVERS = new ConcurrentHashMap<>();

    static {
        assertThat(DataSourceRegistry.weaveDefinitions(WEAVERS)).isTrue();
        assertThat(DataSourceRegistry.weaveDefinitions(Map.of())).as("set once").isFalse();
    }

    private final List<byte[]> handed = new CopyOnWriteArrayList<>();

    @AfterEach
    void noWeavers() {
        WEAVERS.clear();
    }

    @Test
    void aPoolClassFromAnArrayIsDefinedFromItsWovenClassFileWhole() throws Exception {
        Object loader = hookedLoader(Map.of("com.example.Pool", weaver(WOVEN)));
        byte[] b = {0, 1, 2, 3, 4, 5};

        define(loader, "com.example.Pool", b, 2, 3);

        assertThat(handed).singleElement().isEqualTo(new byte[] {2, 3, 4});
        assertThat(field(loader, "bytes")).isSameAs(WOVEN);
        assertThat(field(loader, "off")).isEqualTo(0);
        assertThat(field(loader, "len")).isEqualTo(3);
    }

    @Test
    void anyOtherClassOrAWeaverThatDeclinesOrFailsLeavesTheArgumentsAsTheyWereAndAFailureIsCounted()
            throws Exception {
        long errorsBefore = DataSourceRegistry.hookErrors();
        Object loader = hookedLoader(Map.of("com.example.Pool", weaver(null),
                "com.example.Failing", bytes -> {
                    throw new IllegalStateException("a weaver that fails");
                }));
        byte[] b = {0, 1, 2, 3};
        for (String name : Arrays.asList("com.example.Other", "com.example.Pool", "com.example.Failing", null)) {
            define(loader, name, b, 1, 2);
            assertThat(field(loader, "bytes")).as(name).isSameAs(b);
            assertThat(field(loader, "off")).as(name).isEqualTo(1);
            assertThat(field(loader, "len")).as(name).isEqualTo(2);
        }
        assertThat(handed).hasSize(1);
        assertThat(DataSourceRegistry.hookErrors() - errorsBefore).isEqualTo(1);
    }

    @Test
    void aPoolClassFromADirectBufferIsDefinedFromItsWovenClassFile() throws Exception {
        Object loader = hookedLoader(Map.of("com.example.Pool", weaver(WOVEN)));
        ByteBuffer direct = ByteBuffer.allocateDirect(4);
        direct.put(new byte[] {1, 2, 3, 4}).flip();

        loader.getClass().getMethod("define", String.class, ByteBuffer.class).invoke(loader, "com.example.Pool", direct);

        assertThat(handed).singleElement().isEqualTo(new byte[] {1, 2, 3, 4});
        assertThat(direct.remaining()).isEqualTo(4);
        ByteBuffer defined = (ByteBuffer) field(loader, "buffer");
        assertThat(defined.array()).isSameAs(WOVEN);

        loader.getClass().getMethod("define", String.class, ByteBuffer.class).invoke(loader, "com.example.Other", direct);
        assertThat(field(loader, "buffer")).isSameAs(direct);
    }

    @Test
    void theHookHasItsPlaceInThisJdksClassLoaderAndNowhereElse() throws Exception {
        assertThat(DefineClassWeaver.weave(ClassBytes.read(null, ClassLoader.class.getName()))).isNotNull();
        assertThat(DefineClassWeaver.weave(ClassBytes.read(getClass().getClassLoader(), FakePool.class.getName())))
                .isNull();
    }

    private Function<byte[], byte[]> weaver(byte[] result) {
        return classFile -> {
            handed.add(classFile);
            return result;
        };
    }

    private static Object hookedLoader(Map<String, Function<byte[], byte[]>> weavers) throws Exception {
        byte[] original = ClassBytes.read(FakeClassLoader.class.getClassLoader(), FakeClassLoader.class.getName());
        Class<?> woven = HookWeaverTest.loadWoven(FakeClassLoader.class, DefineClassWeaver.weave(original),
                FakeClassLoader.class.getClassLoader());
        WEAVERS.putAll(weavers);
        return woven.getConstructor().newInstance();
    }

    private static void define(Object loader, String name, byte[] b, int off, int len) throws Exception {
        loader.getClass().getMethod("define", String.class, byte[].class, int.class, int.class)
                .invoke(loader, name, b, off, len);
    }

    private static Object field(Object loader, String name) throws Exception {
        return loader.getClass().getField(name).get(loader);
    }
}
