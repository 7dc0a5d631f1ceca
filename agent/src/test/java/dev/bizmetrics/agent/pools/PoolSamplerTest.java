package dev.bizmetrics.agent.pools;

import com.alibaba.druid.pool.DruidDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class PoolSamplerTest {

    @Test
    void whatIsNotAPoolOfTheCatalogHasNoSample() {
        assertThat(PoolSampler.sample(null)).isNull();
        assertThat(PoolSampler.pending(null)).isEqualTo(-1);
        assertThat(PoolSampler.sample("a string")).isNull();
        assertThat(PoolSampler.pending(new Object())).isEqualTo(-1);
        JdbcDataSource unpooled = new JdbcDataSource();
        unpooled.setURL("jdbc:h2:mem:sampler_unpooled");
        assertThat(PoolSampler.sample(unpooled)).as("an unpooled DataSource of the catalog").isNull();
    }

    @Test
    void aHikariPoolIsSampledOnceStarted() throws Exception {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl("jdbc:h2:mem:sampler_hikari");
            pool.setMaximumPoolSize(3);
            pool.setMinimumIdle(1);
            assertThat(PoolSampler.sample(pool)).as("before the first connection").isNull();
            assertThat(pool.getHikariPoolMXBean()).as("not started by the sampler").isNull();
            try (Connection ignored = pool.getConnection()) {
                PoolSample sample = PoolSampler.sample(pool);
                assertThat(sample.used()).isEqualTo(1);
                assertThat(sample.max()).isEqualTo(3);
                assertThat(sample.idleMin()).isEqualTo(1);
                assertThat(sample.idleMax()).as("Hikari has no maximum idle").isEqualTo(-1);
                assertThat(sample.pending()).isZero();
                assertThat(sample.timeouts()).as("Hikari counts no timeouts in its API").isEqualTo(-1);
                assertThat(PoolSampler.pending(pool)).isZero();
            }
        }
    }

    /** A host's subclass of a pool, whose getters throw when told to. */
    static class Throwing extends HikariDataSource {
        volatile boolean maxThrows;
        volatile boolean minIdleThrows;
        volatile boolean poolThrows;

        Throwing(HikariConfig config) {
            super(config);
        }

        @Override
        public int getMaximumPoolSize() {
            if (maxThrows) {
                throw new IllegalStateException("max");
            }
            return super.getMaximumPoolSize();
        }

        @Override
        public int getMinimumIdle() {
            if (minIdleThrows) {
                throw new Error("an error, not only exceptions");
            }
            return super.getMinimumIdle();
        }

        @Override
        public HikariPoolMXBean getHikariPoolMXBean() {
            if (poolThrows) {
                throw new IllegalStateException("pool");
            }
            return super.getHikariPoolMXBean();
        }
    }

    @Test
    void aGetterThatThrowsMakesOnlyItsFieldUnknown() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:sampler_throwing");
        config.setMaximumPoolSize(3);
        config.setMinimumIdle(1);
        try (Throwing pool = new Throwing(config); Connection ignored = pool.getConnection()) {
            PoolSample healthy = PoolSampler.sample(pool);
            assertThat(healthy.max()).isEqualTo(3);

            pool.maxThrows = true;
            PoolSample noMax = PoolSampler.sample(pool);
            assertThat(noMax.max()).isEqualTo(-1);
            assertThat(noMax.used()).isEqualTo(1);
            assertThat(noMax.idleMin()).isEqualTo(1);
            assertThat(noMax.pending()).isZero();

            pool.minIdleThrows = true;
            PoolSample neither = PoolSampler.sample(pool);
            assertThat(neither.max()).isEqualTo(-1);
            assertThat(neither.idleMin()).isEqualTo(-1);
            assertThat(neither.used()).isEqualTo(1);
            pool.maxThrows = false;
            pool.minIdleThrows = false;

            pool.poolThrows = true;
            assertThat(PoolSampler.sample(pool)).as("the pool itself cannot be read").isNull();
            assertThat(PoolSampler.pending(pool)).isEqualTo(-1);
            pool.poolThrows = false;
            assertThat(PoolSampler.sample(pool)).isEqualTo(healthy);
        }
    }

    /** Druid, whose counts are read on the DataSource itself: a count that throws is -1, the others stay. */
    static class ThrowingDruid extends DruidDataSource {
        @Override
        public int getActiveCount() {
            throw new UnsupportedOperationException("active");
        }
    }

    @Test
    void aCountThatThrowsIsMinusOne() throws Exception {
        try (ThrowingDruid pool = new ThrowingDruid()) {
            pool.setUrl("jdbc:h2:mem:sampler_druid");
            pool.setMaxActive(3);
            pool.setMinIdle(1);
            assertThat(PoolSampler.sample(pool)).as("not initialised").isNull();
            try (Connection ignored = pool.getConnection()) {
                PoolSample sample = PoolSampler.sample(pool);
                assertThat(sample.used()).isEqualTo(-1);
                assertThat(sample.idle()).isEqualTo(pool.getPoolingCount());
                assertThat(sample.max()).isEqualTo(3);
                assertThat(sample.idleMin()).isEqualTo(1);
                assertThat(sample.pending()).isZero();
            }
        }
    }

    /** A package-private class behind a public interface, as configuration objects often are. */
    private static final class Hidden implements IntSupplier {
        @Override
        public int getAsInt() {
            return 7;
        }
    }

    @Test
    void aPublicMethodOfAHiddenClassIsReadThroughItsPublicInterface() throws Throwable {
        GetterPath path = GetterPath.of("getAsInt");
        assertThat(path.readOrThrow(new Hidden())).isEqualTo(7);
        assertThat(path.readOrThrow(new Hidden())).as("cached").isEqualTo(7);
        assertThat(GetterPath.of("getNothing").readOrThrow(new Hidden())).isNull();
        assertThat(GetterPath.of("field:nothing").readOrThrow(new Hidden())).isNull();
    }

    /** Loaded by a class loader of its own in {@link #theCachesKeepNoClassLoaderAlive}. */
    public static final class Loadable {
        public int getValue() {
            return 42;
        }
    }

    @Test
    void theCachesKeepNoClassLoaderAlive() throws Exception {
        WeakReference<ClassLoader> loader = readThroughOwnLoader();
        long deadline = System.currentTimeMillis() + 10_000;
        while (loader.get() != null && System.currentTimeMillis() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(loader.get()).as("the class loader, once unreachable but for the caches").isNull();
    }

    private static WeakReference<ClassLoader> readThroughOwnLoader() throws Exception {
        ClassLoader own = new ClassLoader(PoolSamplerTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.equals(Loadable.class.getName())) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> loaded = findLoadedClass(name);
                    if (loaded != null) {
                        return loaded;
                    }
                    String resource = name.replace('.', '/') + ".class";
                    try (InputStream in = PoolSamplerTest.class.getClassLoader().getResourceAsStream(resource)) {
                        byte[] bytes = in.readAllBytes();
                        return defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
            }
        };
        Class<?> type = own.loadClass(Loadable.class.getName());
        assertThat(type).isNotSameAs(Loadable.class);
        Object instance = type.getConstructor().newInstance();
        assertThat(GetterPath.of("getValue").read(instance)).isEqualTo(42);
        assertThat(PoolSampler.sample(instance)).isNull();
        assertThat(PoolCatalog.entryFor(instance)).isNull();
        return new WeakReference<>(own);
    }
}
