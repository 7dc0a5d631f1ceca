package dev.bizmetrics.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the benchmarks side by side and prints the comparisons:
 * <pre>java -jar bench/target/benchmarks.jar [--quick] [--agent PATH]</pre>
 * {@code --quick} is the smoke mode CI runs: every benchmark, briefly, numbers not to be trusted.
 * {@code --scrape-config PORT} prints the agent configuration {@link ScrapeBenchmark} needs, for running it with
 * JMH's own main ({@code -jvmArgsAppend "-javaagent:...=FILE -Dbench.port=PORT"}).
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path agent = defaultAgentJar();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].equals("--agent") && i + 1 < args.length) {
                agent = Path.of(args[++i]);
            } else if (args[i].equals("--scrape-config") && i + 1 < args.length) {
                System.out.print(scrapeConfig(Integer.parseInt(args[++i])));
                return;
            } else {
                System.err.println("usage: java -jar benchmarks.jar [--quick] [--agent PATH] | --scrape-config PORT");
                System.exit(2);
            }
        }
        if (!Files.isRegularFile(agent)) {
            System.err.println("no agent jar at " + agent + "; build it first (mvn -B -DskipTests package)");
            System.exit(2);
        }
        int port = freePort();
        Path idle = config("http.port=0\n");
        Path scrape = config(scrapeConfig(port));
        String agentIdle = "-javaagent:" + agent + "=" + idle;
        String agentScrape = "-javaagent:" + agent + "=" + scrape;

        RunResult plain = single(options(quick).include(ConnectionBenchmark.class.getName()).addProfiler("gc"));
        RunResult hooked = single(options(quick).include(ConnectionBenchmark.class.getName()).addProfiler("gc")
                .jvmArgsAppend(agentIdle));
        // One fork per combination: twenty-four of them (0 and 10 extra pools), each filling a 100,000-row table first.
        ChainedOptionsBuilder scrapes = options(quick).include(ScrapeBenchmark.class.getName()).forks(1)
                .jvmArgsAppend(agentScrape, "-Dbench.port=" + port);
        if (quick) {
            scrapes.param("series", "100").param("gzip", "false");
        }
        Collection<RunResult> scrapeResults = new Runner(scrapes.build()).run();
        int jmxPort = freePort();
        Path jmxConfig = config(JmxScrapeBenchmark.exporterConfig());
        ChainedOptionsBuilder jmxScrapes = options(quick).include(JmxScrapeBenchmark.class.getName()).forks(1)
                .jvmArgsAppend("-javaagent:" + ownDirectory().resolve("jmx_prometheus_javaagent.jar") + "=127.0.0.1:"
                        + jmxPort + ":" + jmxConfig, "-Dbench.port=" + jmxPort);
        if (quick) {
            jmxScrapes.param("series", "100");
        }
        Collection<RunResult> jmxResults = new Runner(jmxScrapes.build()).run();
        // One fork per pool and call: sixteen of them.
        ChainedOptionsBuilder samples = options(quick).include(PoolSampleBenchmark.class.getName()).forks(1)
                .addProfiler("gc");
        if (quick) {
            samples.param("pool", "hikari", "c3p0");
        }
        Collection<RunResult> sampleResults = new Runner(samples.build()).run();

        System.out.println();
        System.out.println("getConnection()+close() on HikariCP (ns/op; allocation B/op):");
        double base = plain.getPrimaryResult().getScore();
        double with = hooked.getPrimaryResult().getScore();
        System.out.printf("  without agent %8.1f ± %.1f ns   %s B/op%n", base, plain.getPrimaryResult().getScoreError(),
                allocation(plain));
        System.out.printf("  with agent    %8.1f ± %.1f ns   %s B/op%n", with, hooked.getPrimaryResult().getScoreError(),
                allocation(hooked));
        System.out.printf("  hook cost     %+8.1f ns per call (ratio %.3f)%n", with - base, with / base);
        System.out.println();
        System.out.println("GET /metrics (microseconds; p50, p99):");
        Map<String, RunResult> withoutPools = new HashMap<String, RunResult>();
        for (RunResult result : scrapeResults) {
            if (!result.getParams().getParam("pools").equals("0")) {
                continue;
            }
            withoutPools.put(scrapeKey(result), result);
            var stats = result.getPrimaryResult().getStatistics();
            System.out.printf("  %s p50 %9.1f  p99 %9.1f  mean %9.1f%n", scrapeKey(result), stats.getPercentile(50),
                    stats.getPercentile(99), stats.getMean());
        }
        System.out.println();
        System.out.println("GET /metrics with 10 more pools (HikariCP on H2, unbound), ratio to 0 more (microseconds):");
        for (RunResult result : scrapeResults) {
            RunResult base0 = withoutPools.get(scrapeKey(result));
            if (result.getParams().getParam("pools").equals("0") || base0 == null) {
                continue;
            }
            var stats = result.getPrimaryResult().getStatistics();
            var stats0 = base0.getPrimaryResult().getStatistics();
            System.out.printf("  %s p50 %9.1f ×%.3f  p99 %9.1f ×%.3f  (pools=%s)%n", scrapeKey(result),
                    stats.getPercentile(50), stats.getPercentile(50) / stats0.getPercentile(50),
                    stats.getPercentile(99), stats.getPercentile(99) / stats0.getPercentile(99),
                    result.getParams().getParam("pools"));
        }
        System.out.println();
        System.out.println("GET /metrics of jmx_exporter 1.0.1, one MBean attribute a series (microseconds):");
        for (RunResult result : jmxResults) {
            var stats = result.getPrimaryResult().getStatistics();
            System.out.printf("  %7s series text     gzip=false p50 %9.1f  p99 %9.1f  mean %9.1f%n",
                    result.getParams().getParam("series"), stats.getPercentile(50), stats.getPercentile(99),
                    stats.getMean());
        }
        System.out.println();
        System.out.println("PoolSampler on a started pool on H2, 1 of 4 connections lent out (ns/op; B/op):");
        for (RunResult result : sampleResults) {
            String call = result.getParams().getBenchmark().replaceAll(".*\\.", "");
            System.out.printf("  %-12s %-8s %8.1f ± %.1f ns   %s B/op%n", result.getParams().getParam("pool"), call,
                    result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError(),
                    allocation(result));
        }
    }

    /** "    100 series text     gzip=false", the same for each number of extra pools. */
    private static String scrapeKey(RunResult result) {
        var params = result.getParams();
        return String.format("%7s series %-8s gzip=%-5s", params.getParam("series"), params.getParam("format"),
                params.getParam("gzip"));
    }

    private static ChainedOptionsBuilder options(boolean quick) {
        ChainedOptionsBuilder options = new OptionsBuilder().shouldFailOnError(true);
        if (quick) {
            return options.forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                    .measurementIterations(2).measurementTime(TimeValue.milliseconds(200));
        }
        return options.forks(3).warmupIterations(5).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1));
    }

    private static RunResult single(ChainedOptionsBuilder options) throws Exception {
        return new Runner(options.build()).runSingle();
    }

    private static String allocation(RunResult result) {
        var secondary = result.getSecondaryResults().get("gc.alloc.rate.norm");
        return secondary == null ? "?" : String.format("%.1f", secondary.getScore());
    }

    static String scrapeConfig(int port) {
        // Bound by name: with extra pools (ScrapeBenchmark.pools) match=auto would find several and bind none.
        StringBuilder config = new StringBuilder("http.port=" + port + "\ndefaults.interval=1h\n"
                + "defaults.max-series=200000\ndatasource.main.match=pool:scrape-bench\n");
        for (int size : ScrapeBenchmark.SIZES) {
            config.append("metric.s").append(size).append(".sql=SELECT 'series' || id AS label, id AS v FROM series ")
                    .append("WHERE id <= ").append(size).append('\n');
        }
        return config.toString();
    }

    private static Path config(String text) throws IOException {
        Path file = Files.createTempFile("bizmetrics-bench-", ".properties");
        file.toFile().deleteOnExit();
        Files.writeString(file, text);
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** bench/target, where the benchmarks jar and the jmx_exporter jar are. */
    private static Path ownDirectory() {
        String jar = BenchMain.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        return new File(jar).toPath().getParent();
    }

    private static Path defaultAgentJar() {
        return ownDirectory().resolve("../../agent/target/bizmetrics-agent.jar").normalize();
    }
}
