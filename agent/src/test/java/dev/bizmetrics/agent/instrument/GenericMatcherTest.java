package dev.bizmetrics.agent.instrument;

import org.junit.jupiter.api.Test;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Generic discovery's class-file test, and the transformer with it off (the default) and on. */
class GenericMatcherTest {

    /** The samples live in the agent's own (ignored) package, so the tests ignore another package instead. */
    private static final String[] IGNORE_JDK_ONLY = {"java/", "javax/", "jdk/", "sun/", "com/sun/"};
    private static final ClassLoader LOADER = GenericMatcherTest.class.getClassLoader();

    private final GenericMatcher matcher = new GenericMatcher(List.of(), IGNORE_JDK_ONLY);

    @Test
    void aClassImplementingDataSourceDirectlyMatches() throws Exception {
        assertThat(matches(GenericSamples.Direct.class)).isTrue();
    }

    @Test
    void aSubclassMatchesOnceItsSuperclassIsKnown() throws Exception {
        // Loaded before its superclass, it cannot be told: the superclass matches when it loads right after.
        assertThat(matches(GenericSamples.ViaSuperclass.class)).isFalse();
        assertThat(matches(GenericSamples.Direct.class)).isTrue();
        assertThat(matches(GenericSamples.ViaSuperclass.class)).isTrue();
    }

    @Test
    void aClassImplementingAnInterfaceThatExtendsDataSourceMatchesBeforeTheInterfaceLoads() throws Exception {
        assertThat(matches(GenericSamples.ViaOwnInterface.class)).isTrue();
    }

    @Test
    void interfacesAndUnrelatedClassesDoNotMatch() throws Exception {
        assertThat(matches(GenericSamples.OwnApi.class)).isFalse();
        assertThat(matches(GenericSamples.Unrelated.class)).isFalse();
        assertThat(matches(GenericSamples.Methods.class)).isFalse();
    }

    @Test
    void ignoredPackagesAreNeverLookedAt() throws Exception {
        GenericMatcher defaults = new GenericMatcher(List.of());
        byte[] direct = ClassBytes.read(LOADER, GenericSamples.Direct.class.getName());
        assertThat(defaults.matches(LOADER, internalName(GenericSamples.Direct.class), direct)).isFalse();
        assertThat(defaults.matches(LOADER, "com/sun/rowset/Sample", direct)).isFalse();
        assertThat(defaults.matches(LOADER, "com/example/Sample", direct)).isTrue();
    }

    @Test
    void theTransformerWeavesOtherDataSourcesOnlyWithGenericDiscoveryOn() throws Exception {
        PoolTransformer transformer = PoolTransformer.register(noLoadedClasses());
        String postgres = "org/postgresql/ds/PGSimpleDataSource";
        String mariadb = "org/mariadb/jdbc/MariaDbDataSource";
        String driver = "org/postgresql/Driver";

        assertThat(transform(transformer, postgres)).isNull();
        assertThat(transform(transformer, mariadb)).isNull();
        assertThat(transform(transformer, "com/zaxxer/hikari/HikariDataSource")).isNotNull();

        transformer.enableGeneric();
        assertThat(transform(transformer, mariadb)).isNotNull();
        assertThat(transform(transformer, driver)).isNull();
        assertThat(transform(transformer, "java/lang/String")).isNull();
        // PGSimpleDataSource names DataSource itself; its superclass BaseDataSource is not one.
        assertThat(transform(transformer, postgres)).isNotNull();
    }

    private static byte[] transform(PoolTransformer transformer, String internalName) throws Exception {
        byte[] original = ClassBytes.read(LOADER, internalName.replace('/', '.'));
        return transformer.transform(LOADER, internalName, null, null, original);
    }

    private static Instrumentation noLoadedClasses() {
        return (Instrumentation) Proxy.newProxyInstance(LOADER, new Class<?>[] {Instrumentation.class},
                (proxy, method, args) -> method.getName().equals("getAllLoadedClasses") ? new Class<?>[0] : null);
    }

    private boolean matches(Class<?> type) throws Exception {
        return matcher.matches(LOADER, internalName(type), ClassBytes.read(LOADER, type.getName()));
    }

    private static String internalName(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    @Test
    void theDefaultTransformerHooksEveryCatalogClassAndTheBasesThatDeclareGetConnection() {
        Set<String> hooked = dev.bizmetrics.agent.pools.PoolCatalog.internalNamesToHook();
        assertThat(hooked).contains("com/zaxxer/hikari/HikariDataSource", "org/apache/tomcat/jdbc/pool/DataSourceProxy",
                "com/mchange/v2/c3p0/impl/AbstractPoolBackedDataSource", "oracle/ucp/jdbc/PoolDataSourceImpl",
                "org/apache/tomcat/dbcp/dbcp2/BasicDataSource", "io/agroal/pool/DataSource",
                "com/alibaba/druid/pool/DruidDataSource", "org/springframework/jdbc/datasource/AbstractDriverBasedDataSource");
    }
}
