package dev.bizmetrics.agent.it.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A host application for fault tests, run in its own JVM: a HikariCP pool ({@code fault-host}, 4 connections, 2 s
 * connection timeout) serving one "request" every 20 ms, which survives database errors as a well-behaved service
 * does, and reports its own work: requests served, failed, and their latency.
 *
 * <pre>java -cp ... FaultHost JDBC_URL SECONDS [HOG_AT_SECOND HOG_SECONDS]</pre>
 * The optional hog holds every connection of the pool for a while, as a host under load would. The host ends with
 * {@code System.exit(0)}.
 */
public final class FaultHost {

    private FaultHost() {
    }

    /**
     * The class path to start it with: the test classes and the host's libraries; not the agent's own classes, which
     * come with its jar.
     */
    public static String classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith("test-classes") || entry.contains("HikariCP")
                        || entry.contains("postgresql") || entry.contains("slf4j"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    public static void main(String[] args) throws Exception {
        DriverManager.registerDriver(new FaultyDriver());
        String url = args[0];
        long end = System.currentTimeMillis() + Long.parseLong(args[1]) * 1000;
        long hogAt = args.length > 2 ? System.currentTimeMillis() + Long.parseLong(args[2]) * 1000 : Long.MAX_VALUE;
        long hogMillis = args.length > 3 ? Long.parseLong(args[3]) * 1000 : 0;

        HikariConfig config = new HikariConfig();
        config.setPoolName("fault-host");
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(2000);
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS items (id INT)");
            s.execute("DELETE FROM items");
            s.execute("INSERT INTO items SELECT g FROM generate_series(1, 42) g");
        }
        System.out.println("host: started");
        int ok = 0;
        int failed = 0;
        List<Long> latencies = new ArrayList<>();
        long lastReport = System.currentTimeMillis();
        while (System.currentTimeMillis() < end) {
            if (System.currentTimeMillis() >= hogAt) {
                hog(pool, hogMillis);
                hogAt = Long.MAX_VALUE;
            }
            long start = System.nanoTime();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM items")) {
                rs.next();
                ok++;
                latencies.add(System.nanoTime() - start);
            } catch (Exception e) {
                failed++;
            }
            if (System.currentTimeMillis() - lastReport >= 1000) {
                System.out.println("host: ok=" + ok + " failed=" + failed);
                lastReport = System.currentTimeMillis();
            }
            Thread.sleep(20);
        }
        Collections.sort(latencies);
        long p50 = latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2) / 1000;
        System.out.println("host: done ok=" + ok + " failed=" + failed + " p50_us=" + p50);
        System.exit(0);
    }

    private static void hog(HikariDataSource pool, long millis) throws Exception {
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add(pool.getConnection());
        }
        System.out.println("host: hogging every connection");
        Thread.sleep(millis);
        for (Connection c : all) {
            c.close();
        }
        System.out.println("host: released");
    }
}
