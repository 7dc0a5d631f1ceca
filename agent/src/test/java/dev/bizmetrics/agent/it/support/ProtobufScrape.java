package dev.bizmetrics.agent.it.support;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Scrapes /metrics in the Prometheus protobuf format and decodes it with the client's own generated classes. */
public final class ProtobufScrape {

    private static final String ACCEPT = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
            + "encoding=delimited";

    private ProtobufScrape() {
    }

    /** One gauge family as the value of one label → the sample value. */
    public static Map<String, Double> gauge(int port, String family, String label)
            throws IOException, InterruptedException {
        ByteArrayInputStream in = new ByteArrayInputStream(Scrape.bytes(port, "/metrics", ACCEPT));
        Map<String, Double> values = new LinkedHashMap<>();
        Metrics.MetricFamily metricFamily;
        while ((metricFamily = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
            if (!metricFamily.getName().equals(family)) {
                continue;
            }
            for (Metrics.Metric metric : metricFamily.getMetricList()) {
                String value = metric.getLabelList().stream().filter(pair -> pair.getName().equals(label))
                        .findFirst().orElseThrow().getValue();
                values.put(value, metric.getGauge().getValue());
            }
        }
        return values;
    }

    /** One histogram series as decoded: its family's type, count, sum and each bucket's upper bound → cumulative count. */
    public record Histogram(Metrics.MetricType type, long count, double sum, Map<Double, Long> buckets) {
    }

    /** Every series of one histogram family, keyed by the value of one label ("" for a series without it). */
    public static Map<String, Histogram> histograms(int port, String family, String label)
            throws IOException, InterruptedException {
        ByteArrayInputStream in = new ByteArrayInputStream(Scrape.bytes(port, "/metrics", ACCEPT));
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        Metrics.MetricFamily metricFamily;
        while ((metricFamily = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
            if (!metricFamily.getName().equals(family)) {
                continue;
            }
            for (Metrics.Metric metric : metricFamily.getMetricList()) {
                String value = metric.getLabelList().stream().filter(pair -> pair.getName().equals(label))
                        .findFirst().map(Metrics.LabelPair::getValue).orElse("");
                Map<Double, Long> buckets = new TreeMap<>();
                List<Metrics.Bucket> bucketList = metric.getHistogram().getBucketList();
                for (Metrics.Bucket bucket : bucketList) {
                    buckets.put(bucket.getUpperBound(), bucket.getCumulativeCount());
                }
                histograms.put(value, new Histogram(metricFamily.getType(), metric.getHistogram().getSampleCount(),
                        metric.getHistogram().getSampleSum(), buckets));
            }
        }
        return histograms;
    }
}
