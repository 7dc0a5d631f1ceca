package dev.bizmetrics.agent.discovery;

import com.zaxxer.hikari.HikariDataSource;
import dev.bizmetrics.agent.config.DataSourceSpec;
import dev.bizmetrics.agent.config.Selector;
import dev.bizmetrics.bootstrap.DataSourceRegistry;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Wrappers resolve to what they wrap; DataSources outside the catalog; {@code jndi:} names. */
class ResolutionAndJndiTest {

    @AfterEach
    void clearJndi() {
        MarkerContextFactory.NAMES.clear();
        System.clearProperty("java.naming.factory.initial");
    }

    /** Spring's DelegatingDataSource family, by its public getTargetDataSource(). */
    public static final class SpringLikeWrapper extends PGSimpleDataSource {
        private final DataSource target;

        SpringLikeWrapper(DataSource target) {
            this.target = target;
        }

        public DataSource getTargetDataSource() {
            return target;
        }
    }

    @Test
    void wrappersAndProxiesResolveToThePoolInside() {
        try (HikariDataSource pool = hikari("inner")) {
            DataSource proxy = jdkProxy(new SpringLikeWrapper(jdkProxy(pool)));
            assertThat(DataSourceDescriber.resolve(proxy)).isSameAs(pool);
            assertThat(DataSourceDescriber.resolve(pool)).isSameAs(pool);

            PGSimpleDataSource plain = new PGSimpleDataSource();
            assertThat(DataSourceDescriber.resolve(plain)).isSameAs(plain);
            SpringLikeWrapper empty = new SpringLikeWrapper(null);
            assertThat(DataSourceDescriber.resolve(empty)).isSameAs(empty);
        }
    }

    @Test
    void aDataSourceOutsideTheCatalogIsDescribedAsUnpooledUnderItsOwnClassName() {
        PGSimpleDataSource other = new PGSimpleDataSource();
        other.setURL("jdbc:postgresql://db:5432/shop?password=s3cret");
        assertThat(DataSourceDescriber.describe(other)).isNull();
        DataSourceDescription d = DataSourceDescriber.describeAny(other);
        assertThat(d.className()).isEqualTo("org.postgresql.ds.PGSimpleDataSource");
        assertThat(d.isPool()).isFalse();
        // PostgreSQL's getUrl() lists every property; the password is not among them once sanitised.
        assertThat(d.url()).startsWith("jdbc:postgresql://db:5432/shop?").doesNotContain("s3cret");
        assertThat(DataSourceDescriber.describeAny(new Object())).isNull();
    }

    @Test
    void aJndiNameIsLookedUpWithEachCandidateClassLoaderUntilOneAnswers() {
        System.setProperty("java.naming.factory.initial", MarkerContextFactory.class.getName());
        JdbcDataSource h2 = new JdbcDataSource();
        MarkerContextFactory.NAMES.put("java:comp/env/jdbc/shop", h2);
        ClassLoader app = new MarkerContextFactory.AppLoader();
        ClassLoader system = ClassLoader.getSystemClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();

        JndiLookup.Result found = JndiLookup.lookup("jdbc/shop", List.of(system, app));
        assertThat(found.found).containsExactly(h2);
        assertThat(thread.getContextClassLoader()).isSameAs(before);

        JndiLookup.Result wrongLoader = JndiLookup.lookup("java:comp/env/jdbc/shop", List.of(system));
        assertThat(wrongLoader.found).isEmpty();
        assertThat(wrongLoader.problem).isEqualTo("NoInitialContextException: not the application's class loader");

        JndiLookup.Result unbound = JndiLookup.lookup("java:comp/env/jdbc/nope", List.of(app));
        assertThat(unbound.problem).isEqualTo("NameNotFoundException: java:comp/env/jdbc/nope is not bound");
    }

    @Test
    void discoveryBindsAJndiNameToThePoolBehindItOnceTheNameIsBound() throws Exception {
        System.setProperty("java.naming.factory.initial", MarkerContextFactory.class.getName());
        try (HikariDataSource billing = hikari("billing"); HikariDataSource orders = hikari("orders")) {
            DataSourceRegistry.created(billing);
            DataSourceRegistry.created(orders);
            Map<String, DataSourceSpec> specs = Map.of("main",
                    new DataSourceSpec("main", Selector.parse("jndi:java:comp/env/jdbc/billing"), 1));
            Discovery discovery = onAppThread(Discovery::new);

            long now = 1_000_000L;
            // A first look a minute before: DataSources without a URL that other tests left in the JVM's registry
            // are past the time they are described again in (Discovery.LATE_SETUP_MILLIS).
            discovery.refresh(specs, now - Discovery.LATE_SETUP_MILLIS);
            assertThat(discovery.isDue(specs, now)).isTrue();
            DiscoveryResult result = discovery.refresh(specs, now);
            assertThat(result.bindings().get("main").explanation()).isEqualTo("jndi name java:comp/env/jdbc/billing "
                    + "not found yet: NameNotFoundException: java:comp/env/jdbc/billing is not bound; looked up again "
                    + "every few seconds");
            assertThat(discovery.isDue(specs, now + 1000)).as("nothing new within the retry interval").isFalse();
            assertThat(discovery.isDue(specs, now + Discovery.JNDI_RETRY_MILLIS)).as("the name is due again").isTrue();

            MarkerContextFactory.NAMES.put("java:comp/env/jdbc/billing", jdkProxy(new SpringLikeWrapper(billing)));
            result = discovery.refresh(specs, now + Discovery.JNDI_RETRY_MILLIS);
            Binding binding = result.bindings().get("main");
            assertThat(binding.bound().instance()).isSameAs(billing);
            assertThat(binding.bound().poolName()).isEqualTo("billing");
            assertThat(binding.explanation()).isEqualTo("bound by datasource.main.match=jndi:java:comp/env/jdbc/billing");
            assertThat(result.seen()).filteredOn(d -> d.instance() == billing).hasSize(1);
            assertThat(discovery.isDue(specs, now + Discovery.JNDI_RETRY_MILLIS + 1000)).isFalse();
        }
    }

    @Test
    void aJndiNameBoundToSomethingElseThanADataSourceSaysSo() throws Exception {
        System.setProperty("java.naming.factory.initial", MarkerContextFactory.class.getName());
        MarkerContextFactory.NAMES.put("java:comp/env/mail/smtp", "smtp.example.com");
        Discovery discovery = onAppThread(Discovery::new);
        DiscoveryResult result = discovery.refresh(Map.of("main", new DataSourceSpec("main",
                Selector.parse("jndi:java:comp/env/mail/smtp"), 1)), 0L);
        assertThat(result.bindings().get("main").explanation()).isEqualTo("jndi name java:comp/env/mail/smtp not "
                + "found yet: java:comp/env/mail/smtp is a java.lang.String, not a javax.sql.DataSource; looked up again "
                + "every few seconds");
    }

    /** Creates on a thread whose context class loader is the application's, as the agent's start thread has. */
    private static <T> T onAppThread(java.util.function.Supplier<T> supplier) throws InterruptedException {
        Object[] result = new Object[1];
        Thread thread = new Thread(() -> result[0] = supplier.get());
        thread.setContextClassLoader(new MarkerContextFactory.AppLoader());
        thread.start();
        thread.join();
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    private static HikariDataSource hikari(String name) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName(name);
        pool.setJdbcUrl("jdbc:h2:mem:" + name);
        return pool;
    }

    private static DataSource jdkProxy(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(ResolutionAndJndiTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
