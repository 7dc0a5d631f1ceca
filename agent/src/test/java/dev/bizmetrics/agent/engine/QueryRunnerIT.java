package dev.bizmetrics.agent.engine;

import com.zaxxer.hikari.HikariDataSource;
import dev.bizmetrics.agent.config.QuerySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One run on a real HikariCP pool over PostgreSQL: whatever the outcome, the connection goes back to the pool as it
 * was lent (read-write, auto-commit), and nothing the query wrote stays.
 */
class QueryRunnerIT {

    private static final String SCHEMA = "bm_runner_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static HikariDataSource pool;
    private static ScheduledExecutorService timer;
    private static ExecutorService cancels;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPool() throws Exception {
        pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test");
        pool.setUsername("postgres");
        pool.setMaximumPoolSize(3);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
            s.execute("CREATE TABLE " + SCHEMA + ".t (n INT)");
            s.execute("INSERT INTO " + SCHEMA + ".t VALUES (1), (2)");
        }
        timer = Executors.newSingleThreadScheduledExecutor(new dev.bizmetrics.agent.threads.DaemonThreads("test-timer"));
        cancels = Executors.newCachedThreadPool(new dev.bizmetrics.agent.threads.DaemonThreads("test-cancel"));
    }

    @AfterAll
    static void stopPool() throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
        }
        pool.close();
        timer.shutdownNow();
        cancels.shutdownNow();
    }

    @Test
    void aSuccessfulRunReturnsTheConnectionAsItWasLent() throws Exception {
        QueryResult result = run("metric.m.sql=SELECT COUNT(*) AS n FROM " + SCHEMA + ".t\n");
        assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(result.rows()).isEqualTo(1);
        assertPoolIsClean();
    }

    @Test
    void aDriverErrorIsTheRunsErrorAndTheConnectionComesBack() throws Exception {
        QueryResult result = run("metric.m.sql=SELECT n FROM " + SCHEMA + ".missing\n");
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.error()).startsWith("PSQLException: ERROR: relation \"" + SCHEMA + ".missing\" does not exist");
        assertPoolIsClean();
    }

    @Test
    void aTimeoutCancelsTheStatementOnTimeAndTheConnectionComesBack() throws Exception {
        long start = System.nanoTime();
        QueryResult result = run("metric.m.sql=SELECT 1 AS v FROM pg_sleep(10)\nmetric.m.timeout=500ms\n");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(result.error()).startsWith("timed out after 500 ms and was cancelled");
        assertThat(seconds).isBetween(0.4, 2.0);
        assertPoolIsClean();
    }

    @Test
    void anExhaustedPoolIsAConnectionFailureWithinTheTimeoutThatDoesNotBackOff() throws Exception {
        java.util.List<Connection> held = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(pool.getConnection()); // the application uses every connection
        }
        QueryResult starved;
        long start = System.nanoTime();
        try {
            starved = run("metric.m.sql=SELECT 1 AS v\nmetric.m.timeout=500ms\n");
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(starved.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(starved.isConnectionFailure()).isTrue();
        assertThat(starved.error()).startsWith("no connection from the pool within 500 ms; the application may be "
                + "using all of them");
        assertThat(seconds).isBetween(0.4, 2.0);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();

        assertThat(run("metric.m.sql=SELECT 1 AS v\n").outcome()).isEqualTo(Outcome.SUCCESS);
        assertPoolIsClean();
    }

    @Test
    void aWriteUnderAllowAnySqlIsRolledBack() throws Exception {
        QueryResult result = run("allow-any-sql=true\nmetric.m.sql=WITH d AS (DELETE FROM " + SCHEMA
                + ".t RETURNING n) SELECT COUNT(*) AS n FROM d\n");
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        // Sent as SELECT * FROM (<query>) bizmetrics_q, the data-modifying CTE is refused by PostgreSQL itself.
        assertThat(result.error()).contains("data-modifying statement must be at the top level");
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + SCHEMA + ".t")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
        assertPoolIsClean();
    }

    private QueryResult run(String properties) throws Exception {
        QuerySpec query = MappingFixture.query(dir, properties);
        return new QueryRunner(timer, cancels).run(query, pool);
    }

    private static void assertPoolIsClean() throws Exception {
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
        for (int i = 0; i < 3; i++) {
            try (Connection c = pool.getConnection()) {
                assertThat(c.isReadOnly()).isFalse();
                assertThat(c.getAutoCommit()).isTrue();
            }
        }
    }
}
