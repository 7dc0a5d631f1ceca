package dev.bizmetrics.agent.discovery;

import com.zaxxer.hikari.HikariDataSource;
import dev.bizmetrics.agent.config.DataSourceSpec;
import dev.bizmetrics.agent.config.Selector;
import dev.bizmetrics.bootstrap.DataSourceRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A container's shape without the container: one pool per web application of one database (Tomcat's shared
 * {@code <Resource>}), created on threads whose context class loader is the web application's, as Tomcat does.
 * Real HikariCP pools, never started. Each test matches on a URL of its own, since the registry is the JVM's.
 */
class ContainerBindingTest {

    /** Tomcat's web application loader, as far as the agent reads it: getResources().getContext().getPath(). */
    public static final class WebappLoader extends ClassLoader {
        private final String path;

        WebappLoader(String path) {
            super(ContainerBindingTest.class.getClassLoader());
            this.path = path;
        }

        public Resources getResources() {
            return new Resources(path);
        }
    }

    public static final class Resources {
        private final String path;

        Resources(String path) {
            this.path = path;
        }

        public Context getContext() {
            return new Context(path);
        }
    }

    public static final class Context {
        private final String path;

        Context(String path) {
            this.path = path;
        }

        public String getPath() {
            return path;
        }
    }

    private final List<HikariDataSource> pools = new ArrayList<>();
    /** Held as the server holds its applications' loaders: the registry holds them weakly. */
    private final List<ClassLoader> loaders = new ArrayList<>();

    @AfterEach
    void close() {
        pools.forEach(HikariDataSource::close);
    }

    @Test
    void poolsOfOneDatabaseInSeveralWebApplicationsWaitForTheUsedOneAndEachSuggestionPicksOne() {
        String url = "jdbc:h2:mem:tomcat-shared";
        for (String path : List.of("", "/manager", "/docs", "/examples", "/host-manager")) {
            createdIn(path, url);
        }
        HikariDataSource shop = createdIn("/shop", url);
        Map<String, DataSourceSpec> specs = specs("url:tomcat-shared$");
        Discovery discovery = new Discovery();

        DiscoveryResult result = discovery.refresh(specs, 0L);
        Binding waiting = result.bindings().get("main");
        assertThat(waiting.reason()).isEqualTo(Binding.Reason.WAITING_FOR_USE);
        assertThat(waiting.explanation()).startsWith("6 DataSources of the same database match "
                        + "datasource.main.match=url:tomcat-shared$ and the application has used none yet")
                .contains("datasource.main.match=context:/ (HikariDataSource@")
                .contains("datasource.main.match=context:/shop (HikariDataSource@");
        List<DataSourceDescription> seen = mine(result, url);
        assertThat(seen).extracting(DataSourceDescription::contextPath)
                .containsExactly("/", "/manager", "/docs", "/examples", "/host-manager", "/shop");
        for (DataSourceDescription d : seen) {
            Selector unique = Binder.suggest(d, result.seen());
            assertThat(unique).isEqualTo(Selector.parse("context:" + d.contextPath()));
            assertThat(Binder.bind(spec(unique.toString()), result.seen(), List.of(), null).bound().instance())
                    .isSameAs(d.instance());
        }

        DataSourceRegistry.used(shop);
        Binding bound = discovery.refresh(specs, 1L).bindings().get("main");
        assertThat(bound.bound().instance()).isSameAs(shop);
        assertThat(bound.bound().ownerText()).startsWith("context /shop, loader WebappLoader");
        assertThat(bound.explanation()).startsWith("bound by datasource.main.match=url:tomcat-shared$: the one the "
                + "application uses of 6 DataSources of the same database (HikariDataSource@");
    }

    @Test
    void aBindingStaysWhenAnotherPoolAppearsAndMovesOnlyOnceItsPoolIsClosed() {
        HikariDataSource first = createdIn("/first", "jdbc:h2:mem:stable-first");
        Map<String, DataSourceSpec> specs = specs("url:mem:stable-");
        Discovery discovery = new Discovery();
        assertThat(discovery.refresh(specs, 0L).bindings().get("main").bound().instance()).isSameAs(first);

        HikariDataSource second = createdIn("/second", "jdbc:h2:mem:stable-second");
        DataSourceRegistry.used(second);
        assertThat(discovery.isDue(specs, 1L)).isTrue();
        Binding kept = discovery.refresh(specs, 1L).bindings().get("main");
        assertThat(kept.bound().instance()).as("a second pool deploying does not take the binding").isSameAs(first);
        assertThat(kept.explanation()).isEqualTo("bound by datasource.main.match=url:mem:stable-");

        first.close();
        HikariDataSource third = createdIn("/third", "jdbc:h2:mem:other-third"); // news for the registry
        assertThat(third).isNotNull();
        Binding after = discovery.refresh(specs, 2L).bindings().get("main");
        assertThat(after.bound().instance()).as("its pool closed, the name moves").isSameAs(second);
    }

    @Test
    void aContextSelectorPicksTheWebApplicationsPoolAmongOthers() {
        createdIn("/billing", "jdbc:h2:mem:ctx-billing");
        HikariDataSource shop = createdIn("/ctx-shop", "jdbc:h2:mem:ctx-shop");
        Binding binding = new Discovery().refresh(specs("context:/ctx-shop"), 0L).bindings().get("main");
        assertThat(binding.bound().instance()).isSameAs(shop);
        assertThat(binding.bound().contextPath()).isEqualTo("/ctx-shop");
        assertThat(binding.bound().loaderName()).isEqualTo("WebappLoader");
    }

    /**
     * A pool whose URL is set more than a look after its constructor, and which nobody uses: described again at each
     * look until it has one, so that a url: selector binds it; a DataSource that never gets one stops being described
     * again after {@link Discovery#LATE_SETUP_MILLIS}.
     */
    @Test
    void aPoolSetUpLateIsDescribedAgainUntilItHasAUrl() {
        HikariDataSource late = onThreadOf(getClass().getClassLoader(), () -> {
            HikariDataSource created = new HikariDataSource();
            DataSourceRegistry.created(created);
            return created;
        });
        pools.add(late);
        Map<String, DataSourceSpec> specs = specs("url:mem:late-setup$");
        Discovery discovery = new Discovery();
        long t0 = 1_000_000L;
        assertThat(discovery.refresh(specs, t0).bindings().get("main").isBound()).isFalse();

        late.setJdbcUrl("jdbc:h2:mem:late-setup");
        assertThat(discovery.isDue(specs, t0 + 5000)).as("due while it has no URL").isTrue();
        Binding bound = discovery.refresh(specs, t0 + 5000).bindings().get("main");
        assertThat(bound.bound().instance()).isSameAs(late);
        assertThat(bound.bound().url()).isEqualTo("jdbc:h2:mem:late-setup");

        HikariDataSource never = onThreadOf(getClass().getClassLoader(), () -> {
            HikariDataSource created = new HikariDataSource();
            DataSourceRegistry.created(created);
            return created;
        });
        pools.add(never);
        discovery.refresh(specs, t0 + 10_000);
        assertThat(discovery.isDue(specs, t0 + 10_000 + Discovery.LATE_SETUP_MILLIS - 1)).isTrue();
        discovery.refresh(specs, t0 + 10_000 + Discovery.LATE_SETUP_MILLIS - 1);
        assertThat(discovery.isDue(specs, t0 + 10_000 + Discovery.LATE_SETUP_MILLIS))
                .as("not due once the URL-less one is old enough").isFalse();
    }

    /** A pool created the way Tomcat creates one: on a thread whose context class loader is the application's. */
    private HikariDataSource createdIn(String contextPath, String url) {
        WebappLoader loader = new WebappLoader(contextPath);
        loaders.add(loader);
        HikariDataSource pool = onThreadOf(loader, () -> {
            HikariDataSource created = new HikariDataSource();
            created.setJdbcUrl(url);
            created.setUsername("app");
            DataSourceRegistry.created(created); // what the woven constructor calls
            return created;
        });
        pools.add(pool);
        return pool;
    }

    private static <T> T onThreadOf(ClassLoader loader, Supplier<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        Thread thread = new Thread(() -> result.set(work.get()));
        thread.setContextClassLoader(loader);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return result.get();
    }

    private static List<DataSourceDescription> mine(DiscoveryResult result, String url) {
        return result.seen().stream().filter(d -> d.url().equals(url)).toList();
    }

    private static Map<String, DataSourceSpec> specs(String match) {
        return Map.of("main", spec(match));
    }

    private static DataSourceSpec spec(String match) {
        return new DataSourceSpec("main", Selector.parse(match), 1);
    }
}
