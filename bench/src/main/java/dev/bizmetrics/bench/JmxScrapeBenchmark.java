package dev.bizmetrics.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.util.concurrent.TimeUnit;

/**
 * The same scrape as {@link ScrapeBenchmark} (text, no gzip), of the Prometheus jmx_exporter agent serving as many
 * series, one MBean attribute each, in a JVM started with {@code -javaagent:jmx_prometheus_javaagent.jar}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JmxScrapeBenchmark {

    /** One series of the jmx_exporter: an MBean with one attribute. */
    public interface SeriesMBean {
        double getValue();
    }

    /** The MBean behind one series. */
    public static final class Series implements SeriesMBean {
        private final double value;

        Series(double value) {
            this.value = value;
        }

        @Override
        public double getValue() {
            return value;
        }
    }

    @Param({"100", "10000"})
    public int series;

    private URL url;

    @Setup
    public void setUp() throws Exception {
        for (int i = 1; i <= series; i++) {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new Series(i),
                    new ObjectName("bench:type=Series,name=series" + i));
        }
        url = new URL("http://127.0.0.1:" + Integer.getInteger("bench.port") + "/metrics?name[]=bench_series");
        String last = "bench_series{label=\"series" + series + "\"}";
        if (!ScrapeBenchmark.get(url, "text/plain", false).contains(last)) {
            throw new IllegalStateException("jmx_exporter does not serve " + last);
        }
    }

    @Benchmark
    public int scrape() throws IOException {
        return ScrapeBenchmark.get(url, "text/plain", false).length();
    }

    /** jmx_exporter's configuration: every series MBean as {@code bench_series{label="seriesN"}}. */
    static String exporterConfig() {
        return "rules:\n  - pattern: 'bench<type=Series, name=(\\w+)><>Value'\n    name: bench_series\n"
                + "    labels:\n      label: '$1'\n";
    }
}
