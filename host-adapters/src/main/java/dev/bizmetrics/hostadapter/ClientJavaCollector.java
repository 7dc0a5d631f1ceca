package dev.bizmetrics.hostadapter;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The agent's metrics in a client_java 1.x registry of the application (Micrometer 1.13+ or the default registry),
 * defined into the registry's class loader and compiled against its API. A scrape reads the agent's last published
 * families and builds the host's snapshots from them: no lock, no I/O, no SQL. A family whose name the host has
 * itself is left out and noted, as a duplicate name would fail the host's whole scrape. Never throws: on an error
 * the scrape goes on without the agent's metrics, and the error is counted.
 */
public final class ClientJavaCollector implements MultiCollector {

    private final Supplier<Object[]> families;
    private final AtomicReference<Set<String>> hostNames;
    private final Set<String> clashes;
    private final AtomicLong errors;

    public ClientJavaCollector(Supplier<Object[]> families, AtomicReference<Set<String>> hostNames,
                               Set<String> clashes, AtomicLong errors) {
        this.families = families;
        this.hostNames = hostNames;
        this.clashes = clashes;
        this.errors = errors;
    }

    @Override
    public MetricSnapshots collect() {
        try {
            Object[] all = families.get();
            Set<String> taken = hostNames.get();
            List<MetricSnapshot> result = new ArrayList<MetricSnapshot>(all.length);
            for (Object entry : all) {
                Object[] family = (Object[]) entry;
                String name = (String) family[1];
                if (taken.contains(name)) {
                    clashes.add(name);
                } else {
                    result.add(snapshot(family));
                }
            }
            return new MetricSnapshots(result);
        } catch (Throwable t) {
            errors.incrementAndGet();
            return new MetricSnapshots(new ArrayList<MetricSnapshot>());
        }
    }

    private static MetricSnapshot snapshot(Object[] family) {
        String kind = (String) family[0];
        String name = (String) family[1];
        String help = (String) family[2];
        Object[] points = (Object[]) family[3];
        if (kind.equals("counter")) {
            CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
            for (Object point : points) {
                Object[] p = (Object[]) point;
                CounterSnapshot.CounterDataPointSnapshot.Builder data = CounterSnapshot.CounterDataPointSnapshot
                        .builder().labels(labels(p)).value(numbers(p)[0]);
                builder.dataPoint(stamped(data, p).build());
            }
            return builder.build();
        }
        if (kind.equals("info")) {
            InfoSnapshot.Builder builder = InfoSnapshot.builder().name(name).help(help);
            for (Object point : points) {
                Object[] p = (Object[]) point;
                InfoSnapshot.InfoDataPointSnapshot.Builder data = InfoSnapshot.InfoDataPointSnapshot.builder()
                        .labels(labels(p));
                builder.dataPoint(stamped(data, p).build());
            }
            return builder.build();
        }
        if (kind.equals("histogram")) {
            HistogramSnapshot.Builder builder = HistogramSnapshot.builder().name(name).help(help);
            for (Object point : points) {
                Object[] p = (Object[]) point;
                double[] n = numbers(p);
                int buckets = (n.length - 1) / 2;
                double[] bounds = new double[buckets];
                long[] counts = new long[buckets];
                for (int i = 0; i < buckets; i++) {
                    bounds[i] = n[1 + 2 * i];
                    counts[i] = (long) n[2 + 2 * i];
                }
                HistogramSnapshot.HistogramDataPointSnapshot.Builder data = HistogramSnapshot
                        .HistogramDataPointSnapshot.builder().labels(labels(p))
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts));
                if (!Double.isNaN(n[0])) {
                    data.sum(n[0]);
                }
                builder.dataPoint(stamped(data, p).build());
            }
            return builder.build();
        }
        if (kind.equals("summary")) {
            SummarySnapshot.Builder builder = SummarySnapshot.builder().name(name).help(help);
            for (Object point : points) {
                Object[] p = (Object[]) point;
                double[] n = numbers(p);
                List<Quantile> quantiles = new ArrayList<Quantile>();
                for (int i = 2; i + 1 < n.length; i += 2) {
                    quantiles.add(new Quantile(n[i], n[i + 1]));
                }
                SummarySnapshot.SummaryDataPointSnapshot.Builder data = SummarySnapshot.SummaryDataPointSnapshot
                        .builder().labels(labels(p)).quantiles(Quantiles.of(quantiles));
                if (!Double.isNaN(n[0])) {
                    data.sum(n[0]);
                }
                if (n[1] >= 0) {
                    data.count((long) n[1]);
                }
                builder.dataPoint(stamped(data, p).build());
            }
            return builder.build();
        }
        GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
        for (Object point : points) {
            Object[] p = (Object[]) point;
            GaugeSnapshot.GaugeDataPointSnapshot.Builder data = GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(labels(p)).value(numbers(p)[0]);
            builder.dataPoint(stamped(data, p).build());
        }
        return builder.build();
    }

    /** The point's sample timestamp, when it has one. */
    private static <B extends DataPointSnapshot.Builder<B>> B stamped(B builder, Object[] point) {
        return point[3] == null ? builder : builder.scrapeTimestampMillis((Long) point[3]);
    }

    private static Labels labels(Object[] point) {
        return Labels.of((String[]) point[0], (String[]) point[1]);
    }

    private static double[] numbers(Object[] point) {
        return (double[]) point[2];
    }
}
