package dev.bizmetrics.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * {@code getConnection()} and {@code close()} on a real HikariCP pool: what the application pays per borrow. Run
 * once in a plain JVM and once with {@code -javaagent:bizmetrics-agent.jar}, which weaves the discovery
 * hook into {@code HikariDataSource.getConnection}; the difference is the hook's cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConnectionBenchmark {

    private HikariDataSource pool;

    @Setup
    public void setUp() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench");
        config.setJdbcUrl("jdbc:h2:mem:connection_bench;DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
        pool.getConnection().close();
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public void getConnection(Blackhole blackhole) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            blackhole.consume(connection);
        }
    }
}
