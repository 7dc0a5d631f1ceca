package dev.bizmetrics.bench;

import com.alibaba.druid.pool.DruidDataSource;
import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariDataSource;
import dev.bizmetrics.agent.pools.PoolSample;
import dev.bizmetrics.agent.pools.PoolSampler;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import oracle.ucp.admin.UniversalConnectionPoolManagerImpl;
import oracle.ucp.jdbc.PoolDataSource;
import oracle.ucp.jdbc.PoolDataSourceFactory;
import org.apache.commons.dbcp2.BasicDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;

/**
 * One {@link PoolSampler#sample} (and one {@link PoolSampler#pending}, what a query thread asks before it borrows)
 * of each recognised pool, started on H2 in memory with one of its 4 connections lent out: what the agent's sampling
 * thread pays per pool and period. Run with {@code -prof gc} for the bytes allocated per sample.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PoolSampleBenchmark {

    @Param({"hikari", "tomcat_jdbc", "dbcp2", "tomcat_dbcp", "c3p0", "ucp", "druid", "agroal"})
    public String pool;

    private DataSource dataSource;
    private AutoCloseable closer;
    private Connection held;

    @Setup
    public void setUp() throws Exception {
        String url = "jdbc:h2:mem:pool_sample_" + pool + ";DB_CLOSE_DELAY=-1";
        switch (pool) {
            case "hikari": {
                HikariDataSource ds = new HikariDataSource();
                ds.setJdbcUrl(url);
                ds.setMaximumPoolSize(4);
                ds.setMinimumIdle(1);
                dataSource = ds;
                closer = ds;
                break;
            }
            case "tomcat_jdbc": {
                org.apache.tomcat.jdbc.pool.DataSource ds = new org.apache.tomcat.jdbc.pool.DataSource();
                ds.setDriverClassName("org.h2.Driver");
                ds.setUrl(url);
                ds.setInitialSize(0);
                ds.setMaxActive(4);
                ds.setMinIdle(1);
                ds.setMaxIdle(4);
                dataSource = ds;
                closer = ds::close;
                break;
            }
            case "dbcp2": {
                BasicDataSource ds = new BasicDataSource();
                ds.setUrl(url);
                ds.setMaxTotal(4);
                ds.setMinIdle(1);
                dataSource = ds;
                closer = ds;
                break;
            }
            case "tomcat_dbcp": {
                org.apache.tomcat.dbcp.dbcp2.BasicDataSource ds = new org.apache.tomcat.dbcp.dbcp2.BasicDataSource();
                ds.setUrl(url);
                ds.setMaxTotal(4);
                ds.setMinIdle(1);
                dataSource = ds;
                closer = ds;
                break;
            }
            case "c3p0": {
                ComboPooledDataSource ds = new ComboPooledDataSource();
                ds.setJdbcUrl(url);
                ds.setInitialPoolSize(1);
                ds.setMinPoolSize(1);
                ds.setMaxPoolSize(4);
                dataSource = ds;
                closer = ds::close;
                break;
            }
            case "ucp": {
                PoolDataSource ds = PoolDataSourceFactory.getPoolDataSource();
                ds.setConnectionPoolName("pool_sample_bench");
                ds.setConnectionFactoryClassName("org.h2.jdbcx.JdbcDataSource");
                ds.setURL(url);
                ds.setInitialPoolSize(0);
                ds.setMinPoolSize(1);
                ds.setMaxPoolSize(4);
                dataSource = ds;
                closer = () -> UniversalConnectionPoolManagerImpl.getUniversalConnectionPoolManager()
                        .destroyConnectionPool("pool_sample_bench");
                break;
            }
            case "druid": {
                DruidDataSource ds = new DruidDataSource();
                ds.setUrl(url);
                ds.setMaxActive(4);
                ds.setMinIdle(1);
                dataSource = ds;
                closer = ds;
                break;
            }
            case "agroal": {
                // Metrics on: the sampler then reads every count (without, it skips used and idle).
                AgroalDataSource ds = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                        .metricsEnabled(true)
                        .connectionPoolConfiguration(p -> p.maxSize(4).minSize(1)
                                .connectionFactoryConfiguration(f -> f.jdbcUrl(url)
                                        .principal(new NamePrincipal("sa")).credential(new SimplePassword("")))));
                dataSource = ds;
                closer = ds;
                break;
            }
            default:
                throw new IllegalArgumentException(pool);
        }
        held = dataSource.getConnection();
        PoolSample sample = PoolSampler.sample(dataSource);
        if (sample == null || sample.used() != 1 || sample.max() != 4) {
            throw new IllegalStateException(pool + " sampled as " + sample);
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        held.close();
        closer.close();
    }

    @Benchmark
    public PoolSample sample() {
        return PoolSampler.sample(dataSource);
    }

    @Benchmark
    public int pending() {
        return PoolSampler.pending(dataSource);
    }
}
