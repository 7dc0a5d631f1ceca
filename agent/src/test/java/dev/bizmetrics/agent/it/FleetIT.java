package dev.bizmetrics.agent.it;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet mode as users run it: several replicas of the sample shop, each a real JVM with the real agent jar and its
 * own HikariCP pool, on one PostgreSQL. The database itself counts how often each query ran
 * ({@code pg_stat_user_tables.seq_scan} of a table only that query reads).
 */
class FleetIT {

    static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final String DB = "jdbc:postgresql://127.0.0.1:5432/bm_fleet_it";
    static final long CHECK_MILLIS = 2000;
    /** A replica that took the lock leads 3 s later (FleetMember.TAKEOVER_MILLIS). */
    static final long TAKEOVER_MILLIS = 3000;

    @TempDir
    Path dir;

    private final List<HostProcess> replicas = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private Path config;

    @BeforeEach
    void database() throws Exception {
        try (Connection admin = DriverManager.getConnection(ADMIN, "postgres", "");
             Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS bm_fleet_it WITH (FORCE)");
            st.execute("CREATE DATABASE bm_fleet_it");
        }
        sql("CREATE TABLE fleet_probe (id int)", "INSERT INTO fleet_probe VALUES (1), (2), (3)",
                "CREATE TABLE replica_probe (id int)", "INSERT INTO replica_probe VALUES (1)");
        config = dir.resolve("bizmetrics.properties");
        Files.writeString(config, String.join("\n",
                "fleet.mode=lock", "fleet.check-interval=" + CHECK_MILLIS + "ms",
                "metric.fleet_probe_rows.sql=SELECT count(*) AS n FROM fleet_probe",
                "metric.fleet_probe_rows.interval=1s",
                "metric.replica_probe_rows.sql=SELECT count(*) AS n FROM replica_probe",
                "metric.replica_probe_rows.interval=1s",
                "metric.replica_probe_rows.scope=instance") + "\n");
    }

    @AfterEach
    void stop() {
        replicas.forEach(HostProcess::close);
    }

    private void start(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            HostProcess host = HostProcess.startShop(HostProcess.JAVA_17,
                    List.of(HostProcess.agentFlag("config=" + config + ",http.port=0")),
                    List.of("--jdbc-url", DB, "--user", "postgres", "--rate", "0"));
            replicas.add(host);
            ports.add(host.awaitMetricsPort());
            host.awaitLine(line -> line.startsWith("shop: started"), Duration.ofSeconds(60));
        }
    }

    @Test
    void fourReplicasRunAFleetQueryOncePerIntervalAndAnInstanceQueryOnEach() throws Exception {
        start(4);
        awaitOneLeaderAmong(0, 1, 2, 3);
        Thread.sleep(1500); // the leader's first runs
        long fleetBefore = seqScans("fleet_probe");
        long instanceBefore = seqScans("replica_probe");
        long started = System.nanoTime();
        int mostLeaders = 0;
        while (System.nanoTime() - started < Duration.ofSeconds(20).toNanos()) {
            mostLeaders = Math.max(mostLeaders, leaders(0, 1, 2, 3));
            Thread.sleep(250);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double fleetPerInterval = (seqScans("fleet_probe") - fleetBefore) / seconds;
        double instancePerInterval = (seqScans("replica_probe") - instanceBefore) / seconds;
        System.out.printf("4 replicas: fleet query %.2f runs per interval, instance query %.2f%n",
                fleetPerInterval, instancePerInterval);
        assertThat(mostLeaders).as("never two leaders").isEqualTo(1);
        assertThat(fleetPerInterval).as("the fleet query, once per interval").isBetween(0.8, 1.25);
        assertThat(instancePerInterval).as("the instance query, on each replica").isBetween(3.2, 5.0);

        int leaders = 0;
        for (int port : ports) {
            Map<String, Double> scrape = Scrape.metrics(port);
            boolean leads = scrape.get("bizmetrics_fleet_leader{datasource=\"main\",fleet=\"" + fleet(scrape)
                    + "\"}") == 1.0;
            leaders += leads ? 1 : 0;
            assertThat(family(scrape, "replica_probe_rows")).containsValue(1.0);
            if (leads) {
                assertThat(family(scrape, "fleet_probe_rows")).containsExactly(Map.entry("", 3.0));
                assertThat(family(scrape, "bizmetrics_fleet_mode")).containsValue(1.0).hasSize(1)
                        .hasKeySatisfying(new org.assertj.core.api.Condition<>(
                                k -> k.contains("mode=\"lock\"") && k.contains("reason=\"leads\""), "leads"));
            } else {
                assertThat(family(scrape, "fleet_probe_rows")).as("a follower exposes no fleet series").isEmpty();
                assertThat(family(scrape, "bizmetrics_query_success")).doesNotContainKey("{query=\"fleet_probe_rows\"}");
                assertThat(family(scrape, "bizmetrics_fleet_mode").keySet()).singleElement().asString()
                        .contains("mode=\"lock\"", "reason=\"follows\"");
                assertThat(Scrape.text(port, "/-/ready")).as("a follower is ready").isNotBlank();
            }
        }
        assertThat(leaders).isEqualTo(1);
        assertThat(advisoryLocks()).as("one lock in pg_locks").isEqualTo(1);
    }

    @Test
    void killingTheLeaderHandsTheLeadToAFollowerWithinTheCheckInterval() throws Exception {
        start(3);
        int leader = awaitOneLeaderAmong(0, 1, 2);
        long killed = System.nanoTime();
        replicas.get(leader).kill();
        int[] others = java.util.stream.IntStream.range(0, 3).filter(i -> i != leader).toArray();
        int mostLeaders = 0;
        long handedOver = -1;
        while (System.nanoTime() - killed < Duration.ofMillis(CHECK_MILLIS + TAKEOVER_MILLIS + 5000).toNanos()) {
            int now = leaders(others);
            mostLeaders = Math.max(mostLeaders, now);
            if (now == 1 && handedOver < 0) {
                handedOver = (System.nanoTime() - killed) / 1_000_000;
            }
            Thread.sleep(50);
        }
        System.out.printf("hand-over after kill -9 of the leader: %d ms (check interval %d ms, take-over wait %d ms)%n",
                handedOver, CHECK_MILLIS, TAKEOVER_MILLIS);
        assertThat(handedOver).as("a follower took over").isPositive();
        assertThat(handedOver).as("within the check interval and the take-over wait, and the scrape's polling")
                .isLessThan(CHECK_MILLIS + TAKEOVER_MILLIS + 1000);
        assertThat(mostLeaders).as("never two leaders").isEqualTo(1);
        int next = leaders(others[0]) == 1 ? others[0] : others[1];
        Map<String, Double> scrape = Scrape.until(ports.get(next),
                m -> family(m, "fleet_probe_rows").containsValue(3.0), Duration.ofSeconds(5));
        assertThat(family(scrape, "fleet_probe_rows")).containsExactly(Map.entry("", 3.0));
        assertThat(advisoryLocks()).isEqualTo(1);
    }

    private int awaitOneLeaderAmong(int... indexes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (leaders(indexes) == 1) {
                for (int i : indexes) {
                    if (leads(i)) {
                        return i;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no single leader among the replicas within 20 s");
    }

    private int leaders(int... indexes) throws Exception {
        int count = 0;
        for (int i : indexes) {
            count += leads(i) ? 1 : 0;
        }
        return count;
    }

    private boolean leads(int replica) throws Exception {
        try {
            return family(Scrape.metrics(ports.get(replica)), "bizmetrics_fleet_leader").containsValue(1.0);
        } catch (java.io.IOException e) {
            return false; // killed
        }
    }

    private static String fleet(Map<String, Double> scrape) {
        String series = family(scrape, "bizmetrics_fleet_leader").keySet().iterator().next();
        return series.replaceAll(".*fleet=\"([^\"]*)\".*", "$1");
    }

    /** How often a table was read in full, as PostgreSQL counts it (its statistics as last flushed). */
    private static long seqScans(String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(DB, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = '" + table + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int advisoryLocks() throws SQLException {
        try (Connection c = DriverManager.getConnection(DB, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                     + "AND database = (SELECT oid FROM pg_database WHERE datname = 'bm_fleet_it')")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(DB, "postgres", ""); Statement st = c.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        }
    }
}
