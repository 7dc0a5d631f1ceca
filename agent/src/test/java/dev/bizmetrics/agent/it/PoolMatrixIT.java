package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.CompatibilityReport;
import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.OrderDatabases;
import dev.bizmetrics.agent.it.support.PoolMatrix;
import dev.bizmetrics.agent.it.support.TestHosts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every recognised pool (HikariCP, Tomcat JDBC, DBCP2 basic and managed, Tomcat's DBCP2, c3p0, Oracle UCP, Druid,
 * Agroal) in a plain class-path {@code main}, started with the agent, on Java 17 and 25, on H2 and PostgreSQL. The
 * host creates its pools and never uses them: the agent finds each when it is created, and its queries are the
 * pools' first use. One host JVM per combination checks all the pools at once (see {@link PoolMatrix}).
 */
class PoolMatrixIT {

    @AfterAll
    static void writeReport() throws java.io.IOException {
        CompatibilityReport.write();
    }

    static Stream<Arguments> hosts() {
        return Stream.of(Arguments.of(HostProcess.JAVA_17, "h2"), Arguments.of(HostProcess.JAVA_17, "postgresql"),
                Arguments.of(HostProcess.JAVA_25, "h2"), Arguments.of(HostProcess.JAVA_25, "postgresql"));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("hosts")
    void everyPoolIsFoundNamedBoundAndQueried(Path java, String database, @TempDir Path dir) throws Exception {
        try (OrderDatabases databases = database.equals("h2") ? OrderDatabases.h2() : OrderDatabases.postgres()) {
            PoolMatrix matrix = new PoolMatrix(databases);
            Path config = matrix.writeConfig(dir);
            try (HostProcess host = TestHosts.start(java,
                    List.of(HostProcess.agentFlag("config=" + config + ",http.port=0")), "PoolsHost",
                    matrix.hostArguments())) {
                int port = host.awaitMetricsPort();
                host.awaitLine(line -> line.startsWith("pools: created"), Duration.ofSeconds(30));
                matrix.verify(host, port);
                CompatibilityReport.verified("Java " + (java.equals(HostProcess.JAVA_17) ? "17" : "25") + " "
                        + (database.equals("h2") ? "H2" : "PostgreSQL"));
            }
        }
    }
}
