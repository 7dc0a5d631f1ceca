package dev.bizmetrics.agent.instrument;

import dev.bizmetrics.bootstrap.DataSourceRegistry;
import dev.bizmetrics.bootstrap.HostRegistries;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class HookWeaverTest {

    private static final Set<String> GET_CONNECTION = Set.of("getConnection");

    @Test
    void wovenConstructorsAndGetConnectionHandThisToTheRegistry() throws Exception {
        Class<?> woven = loadWoven(FakePool.class.getClassLoader());

        Object byConstructor = woven.getConstructor(String.class, long.class, double.class)
                .newInstance("shop", 2L, 0.5);
        assertThat(Arrays.asList(DataSourceRegistry.snapshot())).anyMatch(seen -> seen == byConstructor);
        assertThat(woven.getMethod("name").invoke(byConstructor)).isEqualTo("shop01");

        Object early = woven.getConstructor(String.class, long.class, double.class).newInstance("x", -1L, 0.0);
        assertThat(woven.getMethod("name").invoke(early)).isEqualTo("negative");
        assertThat(Arrays.asList(DataSourceRegistry.snapshot())).anyMatch(seen -> seen == early);

        Object delegating = woven.getConstructor().newInstance();
        assertThat(DataSourceRegistry.isUsed(delegating)).as("created, not yet asked for a connection").isFalse();
        int version = DataSourceRegistry.version();
        assertThat(woven.getMethod("getConnection").invoke(delegating)).isEqualTo("default#1");
        assertThat(DataSourceRegistry.isUsed(delegating)).isTrue();
        assertThat(DataSourceRegistry.version()).as("the first use is news").isNotEqualTo(version);
        version = DataSourceRegistry.version();
        woven.getMethod("getConnection").invoke(delegating);
        assertThat(DataSourceRegistry.version()).as("later uses are not").isEqualTo(version);
        assertThat(woven.getMethod("getConnection", String.class, String.class).invoke(delegating, "u", "p"))
                .isEqualTo("u@default");
        assertThat(Arrays.stream(DataSourceRegistry.snapshot()).filter(seen -> seen == delegating)).hasSize(1);
    }

    /** A Prometheus registry class reports its construction to HostRegistries, not as a DataSource. */
    @Test
    void registryConstructorsReportToHostRegistries() throws Exception {
        byte[] original = ClassBytes.read(FakePool.class.getClassLoader(), FakePool.class.getName());
        byte[] woven = HookWeaver.weave(original, Set.of(), HookWeaver.HOST_REGISTRIES);
        Class<?> registry = loadWoven(FakePool.class, woven, FakePool.class.getClassLoader());
        int version = HostRegistries.version();

        Object created = registry.getConstructor().newInstance();

        assertThat(HostRegistries.registries()).containsOnlyOnce(created);
        assertThat(HostRegistries.version() - version).as("the delegating constructor reports it once").isEqualTo(1);
        assertThat(DataSourceRegistry.snapshot()).doesNotContain(created);
        registry.getMethod("getConnection").invoke(created);
        assertThat(DataSourceRegistry.isUsed(created)).as("no getConnection hook").isFalse();
        assertThat(HookWeaver.weave(woven, Set.of(), HookWeaver.HOST_REGISTRIES)).as("woven once").isNull();
    }

    @Test
    void aClassLoaderThatCannotSeeTheRegistryKeepsWorking() throws Exception {
        // Parent = platform loader: the registry (on the test class path) is invisible, as under strict OSGi.
        Class<?> woven = loadWoven(ClassLoader.getPlatformClassLoader());
        Object pool = woven.getConstructor(String.class, long.class, double.class).newInstance("isolated", 1L, 2.0);

        assertThat(woven.getMethod("getConnection").invoke(pool)).isEqualTo("ISOLATED0#1");
        assertThat(woven.getMethod("handedOut").invoke(pool)).isEqualTo(1);
        assertThat(Arrays.asList(DataSourceRegistry.snapshot())).noneMatch(seen -> seen == pool);
    }

    @Test
    void classesWithoutHookedMethodsOrConstructorsAreLeftAlone() throws Exception {
        byte[] original = ClassBytes.read(getClass().getClassLoader(), Runnable.class.getName());
        assertThat(HookWeaver.weave(original, GET_CONNECTION)).isNull();
    }

    @Test
    void aClassWovenAlreadyIsNotWovenAgain() throws Exception {
        byte[] woven = HookWeaver.weave(ClassBytes.read(FakePool.class.getClassLoader(), FakePool.class.getName()),
                GET_CONNECTION);
        assertThat(HookWeaver.weave(woven, GET_CONNECTION)).isNull();
    }

    private static Class<?> loadWoven(ClassLoader parent) throws Exception {
        return loadWoven(FakePool.class, HookWeaver.weave(ClassBytes.read(FakePool.class.getClassLoader(),
                FakePool.class.getName()), GET_CONNECTION), parent);
    }

    static Class<?> loadWoven(Class<?> original, byte[] woven, ClassLoader parent) throws Exception {
        assertThat(woven).isNotNull();
        return new ClassLoader(parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(original.getName())) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> loaded = findLoadedClass(name);
                        return loaded != null ? loaded : defineClass(name, woven, 0, woven.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        }.loadClass(original.getName());
    }
}
