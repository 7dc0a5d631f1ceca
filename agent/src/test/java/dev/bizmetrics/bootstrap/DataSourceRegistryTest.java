package dev.bizmetrics.bootstrap;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DataSourceRegistryTest {

    /** The bootstrap jar holds this one class file: a nested or anonymous class would not be found there. */
    @Test
    void theRegistryIsOneClassFileAlone() throws Exception {
        assertThat(DataSourceRegistry.class.getDeclaredClasses()).isEmpty();
        try (InputStream in = DataSourceRegistry.class.getResourceAsStream("DataSourceRegistry.class")) {
            String classFile = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(classFile).doesNotContain("DataSourceRegistry$").doesNotContain("LambdaMetafactory");
        }
    }

    @Test
    void anInstanceIsSeenOnceAndItsFirstUseChangesTheVersion() {
        Object pool = new Object();
        int before = DataSourceRegistry.version();
        DataSourceRegistry.created(pool);
        DataSourceRegistry.created(pool);
        assertThat(DataSourceRegistry.version() - before).isEqualTo(1);
        assertThat(DataSourceRegistry.isUsed(pool)).isFalse();
        DataSourceRegistry.used(pool);
        DataSourceRegistry.used(pool);
        assertThat(DataSourceRegistry.version() - before).isEqualTo(2);
        assertThat(DataSourceRegistry.isUsed(pool)).isTrue();
        assertThat(DataSourceRegistry.snapshot()).containsOnlyOnce(pool);

        Object usedFirst = new Object();
        DataSourceRegistry.used(usedFirst);
        assertThat(DataSourceRegistry.isUsed(usedFirst)).isTrue();
        assertThat(DataSourceRegistry.version() - before).isEqualTo(3);
    }

    @Test
    void theNewsOfAFirstSightAndAFirstUseIsToldOnceEachAndAListenerThatFailsStopsNothing() {
        java.util.List<Object> told = new java.util.ArrayList<Object>();
        Runnable listener = () -> told.add(Thread.holdsLock(DataSourceRegistry.class));
        DataSourceRegistry.tellNews(listener);
        try {
            Object pool = new Object();
            DataSourceRegistry.created(pool);
            DataSourceRegistry.created(pool);
            DataSourceRegistry.used(pool);
            DataSourceRegistry.used(pool);
            assertThat(told).containsExactly(false, false);

            long errors = DataSourceRegistry.hookErrors();
            Runnable failing = () -> {
                throw new IllegalStateException("a listener that fails");
            };
            DataSourceRegistry.tellNews(failing);
            Object another = new Object();
            DataSourceRegistry.used(another); // the host's getConnection goes on
            assertThat(DataSourceRegistry.isUsed(another)).isTrue();
            assertThat(DataSourceRegistry.hookErrors()).isEqualTo(errors + 1);
            DataSourceRegistry.stopNews(listener); // another was set since: it stays
            DataSourceRegistry.created(new Object());
            assertThat(DataSourceRegistry.hookErrors()).isEqualTo(errors + 2);
            DataSourceRegistry.stopNews(failing);
            DataSourceRegistry.created(new Object());
            assertThat(DataSourceRegistry.hookErrors()).isEqualTo(errors + 2);
            assertThat(told).hasSize(2);
        } finally {
            DataSourceRegistry.stopNews(listener);
        }
    }

    @Test
    void theAgentsOwnUseIsNotTheApplicationsAndTheCreatorsAndFirstUsersLoadersAreKept() throws Exception {
        Object pool = new Object();
        ClassLoader webapp = new ClassLoader(getClass().getClassLoader()) { };
        ClassLoader user = new ClassLoader(getClass().getClassLoader()) { };
        run("host-deployer", webapp, () -> DataSourceRegistry.created(pool));
        assertThat(DataSourceRegistry.owner(pool)).isSameAs(webapp);

        int before = DataSourceRegistry.version();
        run("bizmetrics-query-main-1", null, () -> DataSourceRegistry.used(pool));
        assertThat(DataSourceRegistry.isUsed(pool)).as("the agent's query").isFalse();
        assertThat(DataSourceRegistry.isStarted(pool)).isTrue();
        assertThat(DataSourceRegistry.version() - before).as("news: it may have started").isEqualTo(1);
        run("bizmetrics-query-main-1", null, () -> DataSourceRegistry.used(pool));
        assertThat(DataSourceRegistry.version() - before).isEqualTo(1);

        run("http-nio-8080-exec-1", user, () -> DataSourceRegistry.used(pool));
        assertThat(DataSourceRegistry.isUsed(pool)).as("the application's request").isTrue();
        assertThat(DataSourceRegistry.firstUser(pool)).isSameAs(user);
        assertThat(DataSourceRegistry.owner(pool)).isSameAs(webapp);
        assertThat(DataSourceRegistry.version() - before).isEqualTo(2);
        run("bizmetrics-query-main-1", null, () -> DataSourceRegistry.used(pool));
        assertThat(DataSourceRegistry.isUsed(pool)).as("used stays used").isTrue();
    }

    private static void run(String threadName, ClassLoader contextLoader, Runnable work) throws InterruptedException {
        Thread thread = new Thread(work, threadName);
        thread.setContextClassLoader(contextLoader);
        thread.start();
        thread.join();
    }
}
