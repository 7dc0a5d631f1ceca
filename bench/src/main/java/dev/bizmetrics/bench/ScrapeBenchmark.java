package dev.bizmetrics.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A scrape of the agent's {@code /metrics} over HTTP, in a JVM running the agent (see {@link BenchMain}): 100,
 * 10,000 and 100,000 series, in the text and protobuf formats, with and without gzip. The series come from an H2
 * table through real queries; the benchmark selects one metric with {@code name[]=}. {@code pools} is how many more
 * pools the host has besides the benchmark's own (the one the queries are bound to): HikariCP pools on H2 of their
 * own, each started and used once, unbound, that the agent finds and samples for {@code db_client_connection_*}
 * like any other; the scrape builds their families and the name filter drops them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScrapeBenchmark {

    static final int[] SIZES = {100, 10_000, 100_000};
    private static final String PROTOBUF = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
            + "encoding=delimited";

    @Param({"100", "10000", "100000"})
    public int series;

    @Param({"text", "protobuf"})
    public String format;

    @Param({"false", "true"})
    public boolean gzip;

    @Param({"0", "10"})
    public int pools;

    private HikariDataSource pool;
    private final List<HikariDataSource> extraPools = new ArrayList<HikariDataSource>();
    private URL url;

    @Setup
    public void setUp() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:scrape_bench;DB_CLOSE_DELAY=-1");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS series AS SELECT X AS id FROM SYSTEM_RANGE(1, 100000)");
        }
        for (int i = 1; i <= pools; i++) {
            HikariConfig extra = new HikariConfig();
            extra.setPoolName("extra-" + i);
            extra.setJdbcUrl("jdbc:h2:mem:extra_" + i + ";DB_CLOSE_DELAY=-1");
            extra.setMaximumPoolSize(2);
            HikariDataSource started = new HikariDataSource(extra);
            extraPools.add(started);
            started.getConnection().close();
        }
        long before = usedHeapAfterGc();
        HikariConfig config = new HikariConfig();
        config.setPoolName("scrape-bench");
        config.setJdbcUrl("jdbc:h2:mem:scrape_bench;DB_CLOSE_DELAY=-1");
        pool = new HikariDataSource(config);
        pool.getConnection().close();
        url = new URL("http://127.0.0.1:" + Integer.getInteger("bench.port") + "/metrics?name[]=s" + series);
        String ready = "bizmetrics_query_rows{query=\"s100000\"} 100000.0";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!get(new URL("http://127.0.0.1:" + Integer.getInteger("bench.port")
                + "/metrics?name[]=bizmetrics_query_rows"), "text/plain", false).contains(ready)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent did not serve the series in time");
            }
            Thread.sleep(200);
        }
        // Every pool sampled (every 5 s) before the first scrape: the benchmark's own and the extra ones.
        URL sampled = new URL("http://127.0.0.1:" + Integer.getInteger("bench.port")
                + "/metrics?name[]=db_client_connection_max");
        while (count(get(sampled, "text/plain", false), "db_client_connection_max{") < pools + 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent did not sample the " + (pools + 1) + " pools in time");
            }
            Thread.sleep(200);
        }
        long after = usedHeapAfterGc();
        System.out.printf("%nheap held for %d series: %.1f MiB, %.0f bytes per series%n", 110_100,
                (after - before) / 1048576.0, (after - before) / 110_100.0);
    }

    @TearDown
    public void tearDown() {
        pool.close();
        for (HikariDataSource extra : extraPools) {
            extra.close();
        }
    }

    @Benchmark
    public int scrape() throws IOException {
        return get(url, format.equals("text") ? "text/plain" : PROTOBUF, gzip).length();
    }

    static String get(URL url, String accept, boolean gzip) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        connection.setRequestProperty("Accept", accept);
        if (gzip) {
            connection.setRequestProperty("Accept-Encoding", "gzip");
        }
        if (connection.getResponseCode() != 200) {
            throw new IOException(url + " answered " + connection.getResponseCode());
        }
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
