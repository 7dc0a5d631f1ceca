package dev.bizmetrics.agent.pools;

import com.alibaba.druid.pool.DruidDataSource;
import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import oracle.ucp.admin.UniversalConnectionPoolManagerImpl;
import oracle.ucp.jdbc.PoolDataSource;
import oracle.ucp.jdbc.PoolDataSourceFactory;
import org.apache.commons.dbcp2.BasicDataSource;
import org.vibur.dbcp.ViburDBCPDataSource;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every recognised pool, configured for the sampler's tests: at most {@value #MAX} connections, at least
 * {@value #IDLE_MIN} idle and at most {@value #IDLE_MAX} idle where the pool has those settings, waits that time
 * out after the given time, no connection opened before the first {@code getConnection()} (but Agroal's minimum).
 * With each, what the pool's own API says, for the tests to compare with, and what the sampler is to tell of it.
 */
final class TestPools {

    static final int MAX = 4;
    static final int IDLE_MIN = 1;
    static final int IDLE_MAX = 3;

    private static final AtomicInteger UCP_POOLS = new AtomicInteger();

    /** A database: H2 in memory or PostgreSQL, under an application name the test can find its sessions by. */
    record Db(String name, String url, String user) {
        static Db h2(String database) {
            return new Db("h2", "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1", "sa");
        }

        static Db postgres(String applicationName) {
            return new Db("postgres", "jdbc:postgresql://127.0.0.1:5432/test?ApplicationName=" + applicationName,
                    "postgres");
        }

        boolean isH2() {
            return name.equals("h2");
        }
    }

    /** A pool under test and its own getters. */
    interface Pool extends AutoCloseable {
        DataSource dataSource();

        /** Starts the pool as its application would: its first getConnection(), for most. */
        void start() throws Exception;

        /** Connections lent out, by the pool's own API. */
        int ownUsed() throws Exception;

        /** Idle connections, by the pool's own API. */
        int ownIdle() throws Exception;

        @Override
        void close() throws Exception;
    }

    /** A recognised pool kind and what the sampler reads of it. */
    enum Kind {
        HIKARI(IDLE_MIN, -1, true, false, false),
        TOMCAT_JDBC(IDLE_MIN, IDLE_MAX, true, false, false),
        DBCP2(IDLE_MIN, IDLE_MAX, true, false, false),
        TOMCAT_DBCP(IDLE_MIN, IDLE_MAX, true, false, false),
        /** idle.min: its minimum pool size. */
        C3P0(IDLE_MIN, -1, true, false, false),
        /** timeouts: its failed connection waits; wait time: its cumulative connection wait time and borrows. */
        UCP(IDLE_MIN, -1, true, true, true),
        /** Druid's maxIdle is a setting it no longer uses; wait time: its not-empty waits and connections given. */
        DRUID(IDLE_MIN, -1, true, false, true),
        /** idle.min: its minimum size; used, idle and wait time only with its metrics enabled, as here. */
        AGROAL(IDLE_MIN, -1, true, false, true),
        /** Vibur tells neither a minimum nor a maximum idle nor its waiters; it serves once start() is called. */
        VIBUR(-1, -1, false, false, false);

        final int idleMin;
        final int idleMax;
        final boolean countsPending;
        final boolean countsTimeouts;
        final boolean addsWaitsUp;

        Kind(int idleMin, int idleMax, boolean countsPending, boolean countsTimeouts, boolean addsWaitsUp) {
            this.idleMin = idleMin;
            this.idleMax = idleMax;
            this.countsPending = countsPending;
            this.countsTimeouts = countsTimeouts;
            this.addsWaitsUp = addsWaitsUp;
        }

        /** The waiting threads of a pool with none: 0, or -1 for a pool that does not tell. */
        int noPending() {
            return countsPending ? 0 : -1;
        }

        /** The timeout counter of a fresh pool: 0, or -1 for a pool that has none. */
        long freshTimeouts() {
            return countsTimeouts ? 0 : -1;
        }
    }

    private TestPools() {
    }

    /**
     * A pool of the kind on the database, not started (but Agroal, and Vibur with no connection yet): the first
     * getConnection() starts it.
     */
    static Pool create(Kind kind, Db db, Duration wait) throws Exception {
        Pool pool = create(kind, db, wait, 0, IDLE_MIN);
        if (kind == Kind.VIBUR) {
            ((ViburDBCPDataSource) pool.dataSource()).start();
        }
        return pool;
    }

    /**
     * A pool that opens {@value #PROBE_INITIAL} connections at once when it starts, so that a sampler that started it
     * would be seen; Agroal, which starts in its constructor, with no minimum size, so that it opens none itself.
     * Not started: {@link Pool#start()} starts it.
     */
    static Pool probe(Kind kind, Db db) throws Exception {
        return create(kind, db, Duration.ofSeconds(5), PROBE_INITIAL, 0);
    }

    static final int PROBE_INITIAL = 2;

    private static Pool create(Kind kind, Db db, Duration wait, int initial, int agroalMin) throws Exception {
        String driver = db.isH2() ? "org.h2.Driver" : "org.postgresql.Driver";
        switch (kind) {
            case HIKARI: {
                HikariDataSource pool = new HikariDataSource();
                pool.setJdbcUrl(db.url());
                pool.setUsername(db.user());
                pool.setMaximumPoolSize(MAX);
                pool.setMinimumIdle(IDLE_MIN);
                pool.setConnectionTimeout(wait.toMillis());
                return pool(pool, () -> pool.getHikariPoolMXBean().getActiveConnections(),
                        () -> pool.getHikariPoolMXBean().getIdleConnections(), pool::close);
            }
            case TOMCAT_JDBC: {
                org.apache.tomcat.jdbc.pool.DataSource pool = new org.apache.tomcat.jdbc.pool.DataSource();
                pool.setDriverClassName(driver);
                pool.setUrl(db.url());
                pool.setUsername(db.user());
                pool.setInitialSize(initial);
                pool.setMaxActive(MAX);
                pool.setMinIdle(IDLE_MIN);
                pool.setMaxIdle(IDLE_MAX);
                pool.setMaxWait((int) wait.toMillis());
                return pool(pool, pool::getActive, pool::getIdle, pool::close);
            }
            case DBCP2: {
                BasicDataSource pool = new BasicDataSource();
                pool.setUrl(db.url());
                pool.setUsername(db.user());
                pool.setInitialSize(initial);
                pool.setMaxTotal(MAX);
                pool.setMinIdle(IDLE_MIN);
                pool.setMaxIdle(IDLE_MAX);
                pool.setMaxWait(wait);
                return pool(pool, pool::getNumActive, pool::getNumIdle, pool::close);
            }
            case TOMCAT_DBCP: {
                org.apache.tomcat.dbcp.dbcp2.BasicDataSource pool = new org.apache.tomcat.dbcp.dbcp2.BasicDataSource();
                pool.setUrl(db.url());
                pool.setUsername(db.user());
                pool.setInitialSize(initial);
                pool.setMaxTotal(MAX);
                pool.setMinIdle(IDLE_MIN);
                pool.setMaxIdle(IDLE_MAX);
                pool.setMaxWait(wait);
                return pool(pool, pool::getNumActive, pool::getNumIdle, pool::close);
            }
            case C3P0: {
                ComboPooledDataSource pool = new ComboPooledDataSource();
                pool.setJdbcUrl(db.url());
                pool.setUser(db.user());
                pool.setPassword("");
                pool.setInitialPoolSize(Math.max(initial, IDLE_MIN));
                pool.setMinPoolSize(IDLE_MIN);
                pool.setMaxPoolSize(MAX);
                pool.setAcquireIncrement(1);
                pool.setCheckoutTimeout((int) wait.toMillis());
                return pool(pool, pool::getNumBusyConnectionsDefaultUser, pool::getNumIdleConnectionsDefaultUser,
                        pool::close);
            }
            case UCP: {
                PoolDataSource pool = PoolDataSourceFactory.getPoolDataSource();
                String name = "ucp_sampler_" + UCP_POOLS.incrementAndGet();
                pool.setConnectionPoolName(name);
                // UCP pools any driver: H2's DataSource, PostgreSQL's Driver (see the test hosts' Pools).
                pool.setConnectionFactoryClassName(db.isH2() ? "org.h2.jdbcx.JdbcDataSource" : driver);
                pool.setURL(db.url());
                pool.setUser(db.user());
                pool.setPassword("");
                pool.setInitialPoolSize(initial);
                pool.setMinPoolSize(IDLE_MIN);
                pool.setMinIdle(IDLE_MIN);
                pool.setMaxPoolSize(MAX);
                pool.setConnectionWaitDuration(wait);
                return pool(pool, pool::getBorrowedConnectionsCount, pool::getAvailableConnectionsCount, () -> {
                    if (pool.getStatistics() != null) {
                        UniversalConnectionPoolManagerImpl.getUniversalConnectionPoolManager()
                                .destroyConnectionPool(name);
                    }
                });
            }
            case DRUID: {
                DruidDataSource pool = new DruidDataSource();
                pool.setUrl(db.url());
                pool.setUsername(db.user());
                pool.setInitialSize(initial);
                pool.setMaxActive(MAX);
                pool.setMinIdle(IDLE_MIN);
                pool.setMaxWait(wait.toMillis());
                return pool(pool, pool::getActiveCount, pool::getPoolingCount, pool::close);
            }
            case VIBUR: {
                ViburDBCPDataSource pool = new ViburDBCPDataSource();
                pool.setName("vibur_sampler");
                pool.setDriverClassName(driver);
                pool.setJdbcUrl(db.url());
                pool.setUsername(db.user());
                pool.setPassword("");
                pool.setPoolInitialSize(initial);
                pool.setPoolMaxSize(MAX);
                pool.setConnectionTimeoutInMs(wait.toMillis());
                return pool(pool, () -> pool.getPool().taken(), () -> pool.getPool().remainingCreated(), pool::close,
                        () -> {
                            if (pool.getPool() == null) {
                                pool.start();
                            }
                            pool.getConnection().close();
                        });
            }
            case AGROAL: {
                // Metrics on, so that its own API (getMetrics()) says something to compare with; the sampler does
                // not need them (see agroalWithoutMetrics).
                AgroalDataSource pool = agroal(db, wait, agroalMin, true);
                return pool(pool, () -> (int) pool.getMetrics().activeCount(),
                        () -> (int) pool.getMetrics().availableCount(), pool::close);
            }
            default:
                throw new IllegalArgumentException(kind.name());
        }
    }

    /** An Agroal pool (started: Agroal starts in its constructor) that opens no connection until asked or minSize. */
    static AgroalDataSource agroal(Db db, Duration wait, int minSize, boolean metrics) throws Exception {
        AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier()
                .metricsEnabled(metrics)
                .connectionPoolConfiguration(pool -> pool.maxSize(MAX).minSize(minSize).initialSize(0)
                        .acquisitionTimeout(wait)
                        .connectionFactoryConfiguration(factory -> factory.jdbcUrl(db.url())
                                .principal(new NamePrincipal(db.user())).credential(new SimplePassword(""))));
        return AgroalDataSource.from(config);
    }

    interface IntGetter {
        int get() throws Exception;
    }

    interface Action {
        void run() throws Exception;
    }

    /** A pool its first getConnection() starts. */
    private static Pool pool(DataSource dataSource, IntGetter used, IntGetter idle, Action closer) {
        return pool(dataSource, used, idle, closer, () -> dataSource.getConnection().close());
    }

    private static Pool pool(DataSource dataSource, IntGetter used, IntGetter idle, Action closer, Action starter) {
        return new Pool() {
            @Override
            public DataSource dataSource() {
                return dataSource;
            }

            @Override
            public void start() throws Exception {
                starter.run();
            }

            @Override
            public int ownUsed() throws Exception {
                return used.get();
            }

            @Override
            public int ownIdle() throws Exception {
                return idle.get();
            }

            @Override
            public void close() throws Exception {
                closer.run();
            }

            @Override
            public String toString() {
                return dataSource.getClass().getName();
            }
        };
    }
}
