package dev.bizmetrics.agent.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.bizmetrics.agent.config.ConfigFixture.metric;
import static org.assertj.core.api.Assertions.assertThat;

/** The keys of histograms, summaries and sample timestamps: what parses, and every mistake with its key and line. */
class DistributionConfigTest {

    private static final String F = "bizmetrics.properties:";
    private static final String SQL = "metric.h.sql=SELECT region, amount, le, n, q, v, total, cnt, at FROM t";

    @TempDir
    Path dir;

    private ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(dir);
    }

    @Test
    void observedHistogramParsesItsBuckets() {
        MetricSpec h = metric(fx.valid(SQL, "metric.h.type=histogram", "metric.h.value=Amount",
                "metric.h.buckets= 0.1, 0.5,1,5e1 ", "metric.h.timestamp=AT"), "h");
        assertThat(h.type()).isEqualTo(MetricType.HISTOGRAM);
        assertThat(h.baseName()).isEqualTo("h");
        assertThat(h.buckets()).containsExactly(0.1, 0.5, 1, 50);
        assertThat(h.valueColumn()).isEqualTo("amount");
        assertThat(h.timestampColumn()).isEqualTo("at");
        assertThat(h.bucketBoundColumn()).isNull();
    }

    @Test
    void preBucketedHistogramAndSummaryParse() {
        AgentConfig config = fx.valid("query.q.sql=SELECT region, le, n, q, v, total, cnt FROM t",
                "metric.h.query=q", "metric.h.type=histogram", "metric.h.bucket-bound=le", "metric.h.value=n",
                "metric.h.sum=total",
                "metric.s.query=q", "metric.s.type=summary", "metric.s.quantile=q", "metric.s.value=v",
                "metric.s.sum=total", "metric.s.count=cnt");
        MetricSpec h = metric(config, "h");
        assertThat(h.buckets()).isNull();
        assertThat(h.bucketBoundColumn()).isEqualTo("le");
        assertThat(h.sumColumn()).isEqualTo("total");
        MetricSpec s = metric(config, "s");
        assertThat(s.type()).isEqualTo(MetricType.SUMMARY);
        assertThat(s.quantileColumn()).isEqualTo("q");
        assertThat(s.countColumn()).isEqualTo("cnt");
    }

    @Test
    void timestampOnAnyType() {
        AgentConfig config = fx.valid("query.q.sql=SELECT region, n, at FROM t", "metric.g.query=q",
                "metric.g.value=n", "metric.g.timestamp=at", "metric.c_total.query=q", "metric.c_total.type=counter",
                "metric.c_total.value=n", "metric.c_total.timestamp=at", "metric.i_info.query=q",
                "metric.i_info.type=info", "metric.i_info.timestamp=at");
        assertThat(metric(config, "i_info").timestampColumn()).isEqualTo("at");
    }

    @Test
    void bucketsThatAreNotAscendingDistinctFiniteNumbers() {
        for (String[] c : new String[][] {
                {"1,5,2", "is not in ascending order (5 before 2); list the bounds from the smallest up"},
                {"1,5,5", "lists 5 twice; list each bound once"},
                {"1,five", "'five' is not a number; list the buckets' upper bounds as numbers, e.g. 0.1,0.5,1,5"},
                {"1,NaN", "'NaN' is not a number; list the buckets' upper bounds as numbers, e.g. 0.1,0.5,1,5"},
                {"1,1e999", "'1e999' is not a number; list the buckets' upper bounds as numbers, e.g. 0.1,0.5,1,5"},
                {"1,+Inf", "+Inf is always the last bucket; leave it out"},
                {" , ", "is empty; list the buckets' upper bounds, e.g. 0.1,0.5,1,5"}}) {
            assertThat(fx.problems(SQL, "metric.h.type=histogram", "metric.h.value=amount",
                    "metric.h.buckets=" + c[0])).as(c[0]).containsExactly(F + "4: metric.h.buckets: " + c[1]);
        }
    }

    @Test
    void eachKeyOnlyWithItsType() {
        assertThat(fx.problems(SQL, "metric.h.value=amount", "metric.h.buckets=1,2", "metric.h.bucket-bound=le",
                "metric.h.quantile=q", "metric.h.count=cnt", "metric.h.sum=total")).containsExactly(
                F + "3: metric.h.buckets: buckets are for a histogram; set metric.h.type=histogram or remove the key",
                F + "4: metric.h.bucket-bound: bucket-bound is for a pre-bucketed histogram; set "
                        + "metric.h.type=histogram or remove the key",
                F + "5: metric.h.quantile: quantile is for a summary; set metric.h.type=summary or remove the key",
                F + "6: metric.h.count: count is for a summary; set metric.h.type=summary or remove the key",
                F + "7: metric.h.sum: sum is for a histogram with bucket-bound or a summary; remove the key");
    }

    @Test
    void histogramNeedsBucketsOrBucketBoundNotBothAndItsValue() {
        assertThat(fx.problems(SQL, "metric.h.type=histogram")).containsExactly(
                F + "2: metric.h.type: a histogram needs metric.h.buckets=<upper bounds, e.g. 0.1,0.5,1,5> (each row "
                        + "is an observation) or metric.h.bucket-bound=<column> (the rows hold cumulative counts per bound)",
                F + "2: metric.h.type: a histogram needs metric.h.value=<column>: the observation of each row");
        assertThat(fx.problems(SQL, "metric.h.type=histogram", "metric.h.value=n", "metric.h.buckets=1",
                "metric.h.bucket-bound=le")).containsExactly(
                F + "5: metric.h.bucket-bound: set metric.h.buckets (each row is an observation) or "
                        + "metric.h.bucket-bound (the rows hold cumulative counts), not both");
        assertThat(fx.problems(SQL, "metric.h.type=histogram", "metric.h.bucket-bound=le")).containsExactly(
                F + "2: metric.h.type: a histogram needs metric.h.value=<column>: the cumulative count of each bucket");
    }

    @Test
    void observedHistogramHasNoSumOrCountColumn() {
        assertThat(fx.problems(SQL, "metric.h.type=histogram", "metric.h.value=amount", "metric.h.buckets=1",
                "metric.h.sum=total", "metric.h.count=cnt")).containsExactly(
                F + "6: metric.h.count: a histogram's count is its +Inf bucket; remove the key",
                F + "5: metric.h.sum: a histogram with buckets sums its observations itself; remove the key (sum is "
                        + "for bucket-bound histograms, whose rows hold counts)");
    }

    @Test
    void summaryNeedsQuantileAndValue() {
        assertThat(fx.problems(SQL, "metric.h.type=summary")).containsExactly(
                F + "2: metric.h.type: a summary needs metric.h.quantile=<column> with the quantile (0..1) of each "
                        + "row's value",
                F + "2: metric.h.type: a summary needs metric.h.value=<column>: the value of each row's quantile");
    }

    @Test
    void aLabelCannotAlsoBeAnotherColumnNorOneColumnTwoRoles() {
        assertThat(fx.problems(SQL, "metric.h.type=summary", "metric.h.labels=region,q,at", "metric.h.value=v",
                "metric.h.quantile=q", "metric.h.sum=v", "metric.h.timestamp=at")).containsExactly(
                F + "5: metric.h.quantile: column q is both a label and the quantile column; remove it from "
                        + "metric.h.labels",
                F + "6: metric.h.sum: column v is already the value column; name another column (alias it in the SQL)",
                F + "7: metric.h.timestamp: column at is both a label and the timestamp column; remove it from "
                        + "metric.h.labels");
        assertThat(fx.problems(SQL, "metric.h.value=n", "metric.h.timestamp=n")).containsExactly(
                F + "3: metric.h.timestamp: column n is already the value column; name another column (alias it in "
                        + "the SQL)");
        assertThat(fx.problems(SQL, "metric.h.value=n", "metric.h.timestamp= ")).containsExactly(
                F + "3: metric.h.timestamp: is empty; name a column of the query");
    }

    @Test
    void unknownTypeListsTheNewOnes() {
        assertThat(fx.problems(SQL, "metric.h.type=heatmap")).containsExactly(
                F + "2: metric.h.type: unknown type 'heatmap'; use gauge, counter, info, histogram or summary");
    }

    @Test
    void aMistypedNewKeyIsSuggested() {
        assertThat(fx.problems(SQL, "metric.h.type=histogram", "metric.h.value=amount", "metric.h.bucket=1"))
                .contains(F + "4: metric.h.bucket: unknown key; did you mean metric.h.buckets?");
    }

    @Test
    void aHistogramsCountOrSumNameIsTaken() {
        assertThat(fx.problems("metric.a.sql=SELECT 1 AS v", "metric.a.type=histogram", "metric.a.value=v", "metric.a.buckets=1,2",
                "metric.a_count.sql=SELECT 2 AS n")).singleElement().asString()
                .contains("metric a_count and metric a", "are both exposed as a_count", "rename one");
        assertThat(fx.problems("metric.b_sum.sql=SELECT 2 AS n", "metric.b.sql=SELECT 1 AS v",
                "metric.b.type=histogram", "metric.b.value=v", "metric.b.buckets=1,2")).singleElement().asString()
                .contains("are both exposed as b_sum");
    }
}
