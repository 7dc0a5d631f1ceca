package dev.bizmetrics.agent.hostexport;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The plain form the adapters read, as documented on {@code HostRegistries}. */
class PlainFamiliesTest {

    @Test
    void everyKindTheAgentBuildsBecomesJdkArrays() {
        MetricSnapshots snapshots = MetricSnapshots.of(
                CounterSnapshot.builder().name("orders_seen").help("Orders seen").dataPoint(
                        CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("region", "eu"))
                                .value(7).scrapeTimestampMillis(1_700_000_000_000L).build()).build(),
                InfoSnapshot.builder().name("shop").help("The shop").dataPoint(
                        InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", "2")).build()).build(),
                HistogramSnapshot.builder().name("amount").help("Amounts").dataPoint(
                        HistogramSnapshot.HistogramDataPointSnapshot.builder()
                                .classicHistogramBuckets(ClassicHistogramBuckets.of(
                                        new double[] {10, Double.POSITIVE_INFINITY}, new long[] {2, 3}))
                                .sum(41.5).build()).build(),
                SummarySnapshot.builder().name("latency").help("Latency").dataPoint(
                        SummarySnapshot.SummaryDataPointSnapshot.builder()
                                .quantiles(Quantiles.of(new Quantile(0.5, 1.25))).count(4).build()).build());

        Object[] families = PlainFamilies.of(snapshots);

        assertThat(families).hasSize(4);
        Object[] counter = family(families, "orders_seen");
        assertThat(counter).startsWith("counter", "orders_seen", "Orders seen");
        Object[] point = (Object[]) ((Object[]) counter[3])[0];
        assertThat((String[]) point[0]).containsExactly("region");
        assertThat((String[]) point[1]).containsExactly("eu");
        assertThat((double[]) point[2]).containsExactly(7.0);
        assertThat(point[3]).isEqualTo(1_700_000_000_000L);

        Object[] info = (Object[]) ((Object[]) family(families, "shop")[3])[0];
        assertThat(family(families, "shop")[0]).isEqualTo("info");
        assertThat((double[]) info[2]).isEmpty();
        assertThat(info[3]).isNull();

        Object[] histogram = (Object[]) ((Object[]) family(families, "amount")[3])[0];
        assertThat((double[]) histogram[2]).as("sum, then each bound and its own (not cumulative) count")
                .containsExactly(41.5, 10, 2, Double.POSITIVE_INFINITY, 3);

        Object[] summary = (Object[]) ((Object[]) family(families, "latency")[3])[0];
        assertThat((double[]) summary[2]).as("no sum: NaN; the count; each quantile and its value")
                .containsExactly(Double.NaN, 4, 0.5, 1.25);
    }

    private static Object[] family(Object[] families, String name) {
        for (Object family : families) {
            if (((Object[]) family)[1].equals(name)) {
                return (Object[]) family;
            }
        }
        throw new AssertionError("no family " + name);
    }
}
