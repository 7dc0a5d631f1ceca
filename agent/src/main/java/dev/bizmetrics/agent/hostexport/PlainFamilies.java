package dev.bizmetrics.agent.hostexport;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * The agent's metrics in the plain form the adapters read (see {@code dev.bizmetrics.bootstrap.HostRegistries}):
 * JDK arrays only, so that the host's classes and the agent's relocated client never meet. Built on the agent's
 * thread from what its own {@code /metrics} serves in the text format, gauge histograms as plain histograms.
 */
public final class PlainFamilies {

    private PlainFamilies() {
    }

    public static Object[] of(MetricSnapshots snapshots) {
        List<Object> families = new ArrayList<Object>(snapshots.size());
        for (MetricSnapshot snapshot : snapshots) {
            String kind = kind(snapshot);
            if (kind == null) {
                continue; // no other kind is built by the agent
            }
            List<Object> points = new ArrayList<Object>(snapshot.getDataPoints().size());
            for (DataPointSnapshot point : snapshot.getDataPoints()) {
                points.add(point(point));
            }
            families.add(new Object[] {kind, snapshot.getMetadata().getName(), snapshot.getMetadata().getHelp(),
                points.toArray()});
        }
        return families.toArray();
    }

    private static String kind(MetricSnapshot snapshot) {
        if (snapshot instanceof CounterSnapshot) {
            return "counter";
        }
        if (snapshot instanceof GaugeSnapshot) {
            return "gauge";
        }
        if (snapshot instanceof InfoSnapshot) {
            return "info";
        }
        if (snapshot instanceof HistogramSnapshot) {
            return "histogram";
        }
        if (snapshot instanceof SummarySnapshot) {
            return "summary";
        }
        return null;
    }

    private static Object[] point(DataPointSnapshot point) {
        Labels labels = point.getLabels();
        String[] names = new String[labels.size()];
        String[] values = new String[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            names[i] = labels.getName(i);
            values[i] = labels.getValue(i);
        }
        Long timestamp = point.hasScrapeTimestamp() ? Long.valueOf(point.getScrapeTimestampMillis()) : null;
        return new Object[] {names, values, numbers(point), timestamp};
    }

    private static double[] numbers(DataPointSnapshot point) {
        if (point instanceof CounterSnapshot.CounterDataPointSnapshot) {
            return new double[] {((CounterSnapshot.CounterDataPointSnapshot) point).getValue()};
        }
        if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot) {
            return new double[] {((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue()};
        }
        if (point instanceof HistogramSnapshot.HistogramDataPointSnapshot) {
            HistogramSnapshot.HistogramDataPointSnapshot histogram = (HistogramSnapshot.HistogramDataPointSnapshot) point;
            List<Double> numbers = new ArrayList<Double>();
            numbers.add(histogram.hasSum() ? histogram.getSum() : Double.NaN);
            for (ClassicHistogramBucket bucket : histogram.getClassicBuckets()) {
                numbers.add(bucket.getUpperBound());
                numbers.add((double) bucket.getCount());
            }
            return toArray(numbers);
        }
        if (point instanceof SummarySnapshot.SummaryDataPointSnapshot) {
            SummarySnapshot.SummaryDataPointSnapshot summary = (SummarySnapshot.SummaryDataPointSnapshot) point;
            List<Double> numbers = new ArrayList<Double>();
            numbers.add(summary.hasSum() ? summary.getSum() : Double.NaN);
            numbers.add(summary.hasCount() ? (double) summary.getCount() : -1.0);
            for (Quantile quantile : summary.getQuantiles()) {
                numbers.add(quantile.getQuantile());
                numbers.add(quantile.getValue());
            }
            return toArray(numbers);
        }
        return new double[0]; // an info
    }

    private static double[] toArray(List<Double> numbers) {
        double[] result = new double[numbers.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = numbers.get(i);
        }
        return result;
    }
}
