package dev.bizmetrics.agent.engine;

import dev.bizmetrics.agent.config.QuerySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static dev.bizmetrics.agent.engine.MappingFixture.map;
import static dev.bizmetrics.agent.engine.MappingFixture.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * The row rules every database must follow (PRODUCT.md, "What a query's rows become"), run by one subclass per
 * database against a real connection. A database that cannot be reached fails the subclass, it is not skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RowMapperContract {

    @TempDir
    Path dir;

    Connection connection;
    /** Unique per class and run, so parallel builds against one server do not clash. */
    final String orders = "bm_orders_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    final String texts = orders.replace("orders", "texts");
    final String buckets = orders.replace("orders", "buckets");
    final String quantiles = orders.replace("orders", "quantiles");
    final String events = orders.replace("orders", "events");
    /** 2024-01-02 03:04:05.250 UTC, the instant the zoned timestamps of {@link #events} hold. */
    static final long EVENT_MILLIS = 1_704_164_645_250L;

    /** Label values that the text format must escape or pass through, by id; id 7 is NULL. */
    static final String[] LABEL_TEXTS = {
            "say \"hi\"", "back\\slash", "line1\nline2", "tab\there", "客户", "\uD83D\uDE00 ok"};

    abstract Connection connect() throws SQLException;

    /** The type of a column holding an instant: TIMESTAMP WITH TIME ZONE, or its nearest kin on this database. */
    String zonedTimestampType() {
        return "TIMESTAMP WITH TIME ZONE";
    }

    /** The type of a column holding a local date and time to the millisecond. */
    String localTimestampType() {
        return "TIMESTAMP";
    }

    /** Appended to CREATE TABLE, e.g. a character set. */
    String tableOptions() {
        return "";
    }

    /** A select-list item whose column label, unaliased, is not a valid label name on this database. */
    abstract String unaliasedExpression();

    /** That item's column label, lower-cased. */
    abstract String unaliasedLabel();

    @BeforeAll
    void createTables() throws SQLException {
        connection = connect();
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE " + orders + " (id INTEGER, region VARCHAR(20), status VARCHAR(20), n INTEGER, "
                    + "revenue DECIMAL(12,2), note VARCHAR(20))" + tableOptions());
            s.execute("INSERT INTO " + orders + " VALUES (1, 'eu', 'NEW', 3, 10.50, 'a')");
            s.execute("INSERT INTO " + orders + " VALUES (2, 'eu', 'PAID', 5, 20.25, NULL)");
            s.execute("INSERT INTO " + orders + " VALUES (3, 'us', 'NEW', NULL, 7.00, 'x')");
            s.execute("INSERT INTO " + orders + " VALUES (4, 'us', 'PAID', -2, 1.00, '12')");
            s.execute("INSERT INTO " + orders + " VALUES (5, 'eu', 'NEW', 4, 2.00, 'dup')");
            s.execute("INSERT INTO " + orders + " VALUES (6, NULL, 'NEW', 1, 0.00, 'n')");
            s.execute("CREATE TABLE " + texts + " (id INTEGER, label VARCHAR(50))" + tableOptions());
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + texts + " VALUES (?, ?)")) {
            for (int i = 0; i <= LABEL_TEXTS.length; i++) {
                insert.setInt(1, i + 1);
                insert.setString(2, i < LABEL_TEXTS.length ? LABEL_TEXTS[i] : null);
                insert.executeUpdate();
            }
        }
        try (Statement s = connection.createStatement()) {
            // Pre-bucketed: eu is a good histogram (NULL bound = +Inf); us's counts fall at +Inf; asia has no +Inf.
            s.execute("CREATE TABLE " + buckets + " (region VARCHAR(20), le DOUBLE PRECISION, le_text VARCHAR(10), "
                    + "n INTEGER, total DECIMAL(10,2))" + tableOptions());
            s.execute("INSERT INTO " + buckets + " VALUES ('eu', 5, '5', 5, 20.5)");
            s.execute("INSERT INTO " + buckets + " VALUES ('eu', 1, '1', 2, 20.5)");
            s.execute("INSERT INTO " + buckets + " VALUES ('eu', NULL, '+Inf', 6, 20.5)");
            s.execute("INSERT INTO " + buckets + " VALUES ('us', 1, '1', 3, NULL)");
            s.execute("INSERT INTO " + buckets + " VALUES ('us', 5, '5', 4, NULL)");
            s.execute("INSERT INTO " + buckets + " VALUES ('us', NULL, NULL, 2, NULL)");
            s.execute("INSERT INTO " + buckets + " VALUES ('asia', 1, '1', 1, NULL)");
            s.execute("INSERT INTO " + buckets + " VALUES ('asia', 5, '5', 2, NULL)");
            s.execute("CREATE TABLE " + quantiles + " (region VARCHAR(20), q DOUBLE PRECISION, v DOUBLE PRECISION, "
                    + "total DECIMAL(10,2), cnt INTEGER)" + tableOptions());
            s.execute("INSERT INTO " + quantiles + " VALUES ('eu', 0.9, 18.5, 32.75, 3)");
            s.execute("INSERT INTO " + quantiles + " VALUES ('eu', 0.5, 10.5, 32.75, 3)");
            s.execute("INSERT INTO " + quantiles + " VALUES ('eu', 0.5, 11, 32.75, 3)");
            s.execute("INSERT INTO " + quantiles + " VALUES ('us', 0.5, 4, NULL, NULL)");
            s.execute("INSERT INTO " + quantiles + " VALUES ('us', 1.5, 7, NULL, NULL)");
            s.execute("INSERT INTO " + quantiles + " VALUES ('us', 0.99, NULL, NULL, NULL)");
            s.execute("CREATE TABLE " + events + " (id INTEGER, n INTEGER, on_day DATE, at_local " + localTimestampType() + ", at_zoned "
                    + zonedTimestampType() + ")" + tableOptions());
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + events
                + " VALUES (?, ?, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05.250', ?)")) {
            for (int id = 1; id <= 3; id++) {
                insert.setInt(1, id);
                insert.setInt(2, 10 * id);
                if (id == 3) {
                    insert.setNull(3, java.sql.Types.TIMESTAMP);
                } else {
                    insert.setTimestamp(3, new java.sql.Timestamp(EVENT_MILLIS));
                }
                insert.executeUpdate();
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    @AfterAll
    void dropTables() throws SQLException {
        if (connection == null) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + orders);
            s.execute("DROP TABLE IF EXISTS " + texts);
            s.execute("DROP TABLE IF EXISTS " + buckets);
            s.execute("DROP TABLE IF EXISTS " + quantiles);
            s.execute("DROP TABLE IF EXISTS " + events);
        } finally {
            connection.close();
        }
    }

    QuerySpec query(String properties) throws Exception {
        return MappingFixture.query(dir, properties);
    }

    MappedRows run(String properties) throws Exception {
        return map(connection, query(properties));
    }

    /** The sample lines of metric m reading {@code expression} as its value from the first row of {@code from}. */
    List<String> valueOf(String expression, String from) throws Exception {
        return valueOf(connection, expression, from);
    }

    List<String> valueOf(Connection on, String expression, String from) throws Exception {
        return samples(map(on, query("metric.m.sql=SELECT " + expression + " AS v FROM " + from + "\n"
                + "metric.m.value=v\n")));
    }

    /**
     * {@link #valueOf} in a JVM whose default time zone is {@code zone}, on a connection opened there as a host
     * application's would be (drivers such as H2 and pgjdbc take the session time zone from it).
     */
    List<String> valueInZone(String zone, String expression, String from) throws Exception {
        try {
            return MappingFixture.inZone(zone, () -> {
                defaultZoneChanged();
                try (Connection fresh = connect()) {
                    return valueOf(fresh, expression, from);
                }
            });
        } finally {
            defaultZoneChanged();
        }
    }

    /** Lets a driver that caches the JVM's default time zone see a change, as if the JVM had started in it. */
    void defaultZoneChanged() {
    }

    @Test
    void nullLabelIsEmptyNullValueIsDroppedAndFirstDuplicateWins() throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT region, status, n FROM " + orders + " ORDER BY id\n");

        assertThat(rows.rows()).isEqualTo(6);
        assertThat(samples(rows)).containsExactlyInAnyOrder(
                "m{region=\"eu\",status=\"NEW\"} 3.0",
                "m{region=\"eu\",status=\"PAID\"} 5.0",
                "m{region=\"us\",status=\"PAID\"} -2.0",
                "m{region=\"\",status=\"NEW\"} 1.0");
        assertThat(rows.dropped()).containsOnlyKeys("m");
        assertThat(rows.dropped().get("m")).containsOnly(
                entry(DropReason.NULL_VALUE, 1L), entry(DropReason.DUPLICATE, 1L));
    }

    @Test
    void negativeCounterIsBadValue() throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT region, status, n FROM " + orders + " ORDER BY id\n"
                + "metric.m.type=counter\n");

        assertThat(samples(rows)).containsExactlyInAnyOrder(
                "m_total{region=\"eu\",status=\"NEW\"} 3.0",
                "m_total{region=\"eu\",status=\"PAID\"} 5.0",
                "m_total{region=\"\",status=\"NEW\"} 1.0");
        assertThat(rows.dropped().get("m")).containsOnly(entry(DropReason.NULL_VALUE, 1L),
                entry(DropReason.BAD_VALUE, 1L), entry(DropReason.DUPLICATE, 1L));
    }

    @Test
    void textValueIsBadValueAndNullTextValueIsNullValue() throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT id, note FROM " + orders + "\n"
                + "metric.m.value=note\n");

        assertThat(rows.rows()).isEqualTo(6);
        assertThat(samples(rows)).isEmpty();
        // '12' too: the column's type decides, not whether its text looks like a number.
        assertThat(rows.dropped().get("m")).containsOnly(
                entry(DropReason.BAD_VALUE, 5L), entry(DropReason.NULL_VALUE, 1L));
    }

    @Test
    void duplicateLabelSetsKeepTheFirstRow() throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT status, revenue, n FROM " + orders + " ORDER BY id\n"
                + "metric.m.labels=status\n"
                + "metric.m.value=revenue\n");

        assertThat(samples(rows)).containsExactlyInAnyOrder("m{status=\"NEW\"} 10.5", "m{status=\"PAID\"} 20.25");
        assertThat(rows.dropped().get("m")).containsOnly(entry(DropReason.DUPLICATE, 4L));
    }

    @Test
    void rowsPastMaxSeriesAreDropped() throws Exception {
        MappedRows rows = run("defaults.max-series=3\n"
                + "metric.m.sql=SELECT id, revenue FROM " + orders + " ORDER BY id\n"
                + "metric.m.labels=id\n"
                + "metric.m.value=revenue\n"
                + "metric.m.const-labels=team=x\n");

        assertThat(samples(rows)).containsExactlyInAnyOrder(
                "m{id=\"1\",team=\"x\"} 10.5", "m{id=\"2\",team=\"x\"} 20.25", "m{id=\"3\",team=\"x\"} 7.0");
        assertThat(rows.dropped().get("m")).containsOnly(entry(DropReason.MAX_SERIES, 3L));
    }

    @Test
    void aDuplicateOfAKeptRowPastMaxSeriesIsADuplicateAndOnlyKeptRowsAreRemembered() throws Exception {
        MappedRows rows = run("defaults.max-series=1\n"
                + "metric.m.sql=SELECT status, revenue FROM " + orders + " ORDER BY id\n"
                + "metric.m.labels=status\n"
                + "metric.m.value=revenue\n");

        assertThat(samples(rows)).containsExactly("m{status=\"NEW\"} 10.5");
        // NEW rows after the first are duplicates; every PAID row is past max-series, none remembered.
        assertThat(rows.dropped().get("m")).containsOnly(entry(DropReason.DUPLICATE, 3L),
                entry(DropReason.MAX_SERIES, 2L));
    }

    @Test
    void aLabelValueLongerThanTheLimitDropsTheRow() throws Exception {
        String longText = "x".repeat(RowMapper.MAX_LABEL_LENGTH + 1);
        String atLimit = "y".repeat(RowMapper.MAX_LABEL_LENGTH);
        MappedRows rows = run("metric.m.sql=SELECT CASE WHEN id = 1 THEN '" + longText + "' ELSE '" + atLimit
                + "' END AS label, 1 AS v FROM " + orders + " WHERE id <= 2\n");

        assertThat(samples(rows)).containsExactly("m{label=\"" + atLimit + "\"} 1.0");
        assertThat(rows.dropped().get("m")).containsOnly(entry(DropReason.LABEL_TOO_LONG, 1L));
    }

    @Test
    void labelValuesAreEscapedInTheTextFormat() throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT label, id FROM " + texts + " ORDER BY id\n");

        assertThat(samples(rows)).containsExactlyInAnyOrder(
                "m{label=\"say \\\"hi\\\"\"} 1.0",
                "m{label=\"back\\\\slash\"} 2.0",
                "m{label=\"line1\\nline2\"} 3.0",
                "m{label=\"tab\there\"} 4.0",
                "m{label=\"客户\"} 5.0",
                "m{label=\"\uD83D\uDE00 ok\"} 6.0",
                "m{label=\"\"} 7.0");
        assertThat(rows.dropped()).isEmpty();
    }

    @Test
    void defaultValueIsTheNumericColumnAndDefaultLabelsTheOthers() throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT region, status, n FROM " + orders + " WHERE id IN (1, 2)\n"
                + "metric.m.const-labels=team=x\n");

        assertThat(samples(rows)).containsExactlyInAnyOrder(
                "m{region=\"eu\",status=\"NEW\",team=\"x\"} 3.0",
                "m{region=\"eu\",status=\"PAID\",team=\"x\"} 5.0");
    }

    @Test
    void twoNumericColumnsWithoutValueIsAmbiguous() throws Exception {
        QuerySpec query = query("metric.m.sql=SELECT status, n, revenue FROM " + orders + "\n");

        assertThatThrownBy(() -> map(connection, query))
                .isInstanceOf(ColumnPlan.Mismatch.class)
                .hasMessageContaining("metric m")
                .hasMessageContaining("n, revenue")
                .hasMessageContaining("set metric.m.value");
    }

    @Test
    void missingValueColumnIsAMismatch() throws Exception {
        QuerySpec query = query("metric.m.sql=SELECT status, n FROM " + orders + "\nmetric.m.value=amount\n");

        assertThatThrownBy(() -> map(connection, query))
                .isInstanceOf(ColumnPlan.Mismatch.class)
                .hasMessageContaining("metric m")
                .hasMessageContaining("'amount'")
                .hasMessageContaining("metric.m.value");
    }

    @Test
    void missingLabelColumnIsAMismatch() throws Exception {
        QuerySpec query = query("metric.m.sql=SELECT region, n FROM " + orders + "\n"
                + "metric.m.labels=region,channel\n");

        assertThatThrownBy(() -> map(connection, query))
                .isInstanceOf(ColumnPlan.Mismatch.class)
                .hasMessageContaining("metric m")
                .hasMessageContaining("'channel'")
                .hasMessageContaining("metric.m.labels");
    }

    @Test
    void unaliasedExpressionAsLabelAsksForAnAlias() throws Exception {
        QuerySpec query = query("metric.m.sql=SELECT status, " + unaliasedExpression() + ", SUM(revenue) AS total FROM "
                + orders + " GROUP BY status\n"
                + "metric.m.value=total\n");

        assertThatThrownBy(() -> map(connection, query))
                .isInstanceOf(ColumnPlan.Mismatch.class)
                .hasMessageContaining("metric m")
                .hasMessageContaining("'" + unaliasedLabel() + "' is not a valid label name")
                .hasMessageContaining("alias it in the SQL");
    }

    @Test
    void sameColumnLabelTwiceIsAMismatch() throws Exception {
        QuerySpec query = query("metric.m.sql=SELECT status, status, n FROM " + orders + "\n");

        assertThatThrownBy(() -> map(connection, query))
                .isInstanceOf(ColumnPlan.Mismatch.class)
                .hasMessageContaining("metric m")
                .hasMessageContaining("'status'")
                .hasMessageContaining("alias");
    }

    @Test
    void sharedQueryGivesEveryMetricTheNonValueColumnsAsLabels() throws Exception {
        MappedRows rows = run("query.q.sql=SELECT region, status, n, revenue FROM " + orders + " WHERE id IN (1, 2)\n"
                + "metric.a.query=q\n"
                + "metric.a.value=n\n"
                + "metric.b.query=q\n"
                + "metric.b.value=revenue\n");

        assertThat(rows.rows()).isEqualTo(2);
        assertThat(samples(rows)).containsExactlyInAnyOrder(
                "a{region=\"eu\",status=\"NEW\"} 3.0",
                "a{region=\"eu\",status=\"PAID\"} 5.0",
                "b{region=\"eu\",status=\"NEW\"} 10.5",
                "b{region=\"eu\",status=\"PAID\"} 20.25");
        assertThat(rows.dropped()).isEmpty();
    }

    @Test
    void infoMetricHasEveryColumnAsLabelAndValueOne() throws Exception {
        MappedRows rows = run("metric.build_info.sql=SELECT region, status, n FROM " + orders
                + " WHERE id IN (1, 3)\n"
                + "metric.build_info.type=info\n");

        assertThat(samples(rows)).containsExactlyInAnyOrder(
                "build_info{n=\"3\",region=\"eu\",status=\"NEW\"} 1",
                "build_info{n=\"\",region=\"us\",status=\"NEW\"} 1");
    }

    // ---- distributions and time (PRODUCT.md, "Distributions and time from SQL") ----

    @Test
    void histogramCountsEachRowIntoItsLabelSetsBuckets() throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT region, n FROM " + orders + "\n"
                + "metric.m.type=histogram\n"
                + "metric.m.value=n\n"
                + "metric.m.buckets=0,3,5\n");

        assertThat(rows.rows()).isEqualTo(6);
        assertThat(samples(rows)).containsExactlyInAnyOrder(
                "m_bucket{region=\"\",le=\"0.0\"} 0",
                "m_bucket{region=\"\",le=\"3.0\"} 1",
                "m_bucket{region=\"\",le=\"5.0\"} 1",
                "m_bucket{region=\"\",le=\"+Inf\"} 1",
                "m_count{region=\"\"} 1",
                "m_sum{region=\"\"} 1.0",
                "m_bucket{region=\"eu\",le=\"0.0\"} 0",
                "m_bucket{region=\"eu\",le=\"3.0\"} 1",
                "m_bucket{region=\"eu\",le=\"5.0\"} 3",
                "m_bucket{region=\"eu\",le=\"+Inf\"} 3",
                "m_count{region=\"eu\"} 3",
                "m_sum{region=\"eu\"} 12.0",
                // -2 is at most 0; us's NULL is no observation
                "m_bucket{region=\"us\",le=\"0.0\"} 1",
                "m_bucket{region=\"us\",le=\"3.0\"} 1",
                "m_bucket{region=\"us\",le=\"5.0\"} 1",
                "m_bucket{region=\"us\",le=\"+Inf\"} 1",
                "m_count{region=\"us\"} 1",
                "m_sum{region=\"us\"} -2.0");
        assertThat(rows.dropped().get("m")).containsOnly(entry(DropReason.NULL_VALUE, 1L));
    }

    @Test
    void histogramOfDecimalsPutsABoundsEqualInItsBucketAndOverflowsToInf() throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT revenue FROM " + orders + "\n"
                + "metric.m.type=histogram\n"
                + "metric.m.labels=\n"
                + "metric.m.value=revenue\n"
                + "metric.m.buckets=1,10.5\n");

        // 0.00 and 1.00 <= 1; 2.00, 7.00, 10.50 <= 10.5; 20.25 above
        assertThat(samples(rows)).containsExactly(
                "m_bucket{le=\"1.0\"} 2", "m_bucket{le=\"10.5\"} 5", "m_bucket{le=\"+Inf\"} 6",
                "m_count 6", "m_sum 40.75");
    }

    @Test
    void histogramLabelSetsPastMaxSeriesAreDropped() throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT id, n FROM " + orders + " ORDER BY id\n"
                + "metric.m.type=histogram\n"
                + "metric.m.labels=id\n"
                + "metric.m.value=n\n"
                + "metric.m.buckets=10\n"
                + "metric.m.max-series=2\n");

        assertThat(samples(rows)).filteredOn(line -> line.startsWith("m_count"))
                .containsExactly("m_count{id=\"1\"} 1", "m_count{id=\"2\"} 1");
        assertThat(rows.dropped().get("m")).containsOnly(entry(DropReason.NULL_VALUE, 1L),
                entry(DropReason.MAX_SERIES, 3L));
    }

    @Test
    void preBucketedHistogramTakesCumulativeCountsAndDropsSeriesThatAreNone() throws Exception {
        for (String bound : new String[] {"le", "le_text"}) {
            MappedRows rows = run("metric.m.sql=SELECT region, " + bound + ", n, total FROM " + buckets + "\n"
                    + "metric.m.type=histogram\n"
                    + "metric.m.bucket-bound=" + bound + "\n"
                    + "metric.m.value=n\n"
                    + "metric.m.sum=total\n");

            assertThat(samples(rows)).as(bound).containsExactly(
                    "m_bucket{region=\"eu\",le=\"1.0\"} 2",
                    "m_bucket{region=\"eu\",le=\"5.0\"} 5",
                    "m_bucket{region=\"eu\",le=\"+Inf\"} 6",
                    "m_count{region=\"eu\"} 6",
                    "m_sum{region=\"eu\"} 20.5");
            // us: 4 then 2 at +Inf, not cumulative; asia: no +Inf bucket, so no count. Every row of both.
            assertThat(rows.dropped().get("m")).as(bound).containsOnly(entry(DropReason.BAD_VALUE, 5L));
        }
    }

    @Test
    void preBucketedHistogramWithoutSumHasNone() throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT region, le, n FROM " + buckets + " WHERE region = 'eu'\n"
                + "metric.m.type=histogram\n"
                + "metric.m.bucket-bound=le\n"
                + "metric.m.value=n\n");

        assertThat(samples(rows)).containsExactly("m_bucket{region=\"eu\",le=\"1.0\"} 2",
                "m_bucket{region=\"eu\",le=\"5.0\"} 5", "m_bucket{region=\"eu\",le=\"+Inf\"} 6",
                "m_count{region=\"eu\"} 6");
    }

    @Test
    void summaryTakesQuantilesSumAndCount() throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT region, q, v, total, cnt FROM " + quantiles + "\n"
                + "metric.m.type=summary\n"
                + "metric.m.quantile=q\n"
                + "metric.m.value=v\n"
                + "metric.m.sum=total\n"
                + "metric.m.count=cnt\n");

        assertThat(samples(rows)).containsExactlyInAnyOrder(
                "m{region=\"eu\",quantile=\"0.5\"} 10.5",
                "m{region=\"eu\",quantile=\"0.9\"} 18.5",
                "m_count{region=\"eu\"} 3",
                "m_sum{region=\"eu\"} 32.75",
                "m{region=\"us\",quantile=\"0.5\"} 4.0");
        // 0.5 twice for eu, the first wins; us: 1.5 is no quantile, 0.99's value is NULL
        assertThat(rows.dropped().get("m")).containsOnly(entry(DropReason.DUPLICATE, 1L),
                entry(DropReason.BAD_VALUE, 1L), entry(DropReason.NULL_VALUE, 1L));
    }

    @Test
    void zonedTimestampBecomesTheSamplesTimestampAndNullDropsTheRow() throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT id, n, at_zoned FROM " + events + "\n"
                + "metric.m.value=n\n"
                + "metric.m.timestamp=at_zoned\n");

        assertThat(samples(rows)).containsExactlyInAnyOrder(
                "m{id=\"1\"} 10.0 " + EVENT_MILLIS, "m{id=\"2\"} 20.0 " + EVENT_MILLIS);
        assertThat(rows.dropped().get("m")).containsOnly(entry(DropReason.NULL_VALUE, 1L));
    }

    @Test
    void localTimestampAndDateAreTheJvmsLocalTime() throws Exception {
        java.time.ZoneId zone = java.time.ZoneId.systemDefault();
        long local = java.time.LocalDateTime.of(2024, 1, 2, 3, 4, 5, 250_000_000).atZone(zone).toInstant()
                .toEpochMilli();
        long day = java.time.LocalDate.of(2024, 1, 2).atStartOfDay(zone).toInstant().toEpochMilli();
        MappedRows rows = run("query.q.sql=SELECT id, n, on_day, at_local FROM " + events + " WHERE id = 1\n"
                + "metric.a.query=q\n"
                + "metric.a.value=n\n"
                + "metric.a.timestamp=at_local\n"
                + "metric.b_total.query=q\n"
                + "metric.b_total.type=counter\n"
                + "metric.b_total.labels=\n"
                + "metric.b_total.value=n\n"
                + "metric.b_total.timestamp=on_day\n");

        // the other metric's timestamp column is no label of a by default either
        assertThat(samples(rows)).containsExactlyInAnyOrder("a{id=\"1\"} 10.0 " + local, "b_total 10.0 " + day);
    }

    @Test
    void histogramAndSummaryTakeTheLatestTimestampOfTheirRows() throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT n, at_zoned FROM " + events + " WHERE id <= 2\n"
                + "metric.m.type=histogram\n"
                + "metric.m.value=n\n"
                + "metric.m.buckets=15\n"
                + "metric.m.timestamp=at_zoned\n");

        assertThat(samples(rows)).containsExactly("m_bucket{le=\"15.0\"} 1 " + EVENT_MILLIS,
                "m_bucket{le=\"+Inf\"} 2 " + EVENT_MILLIS, "m_count 2 " + EVENT_MILLIS, "m_sum 30.0 " + EVENT_MILLIS);
    }

    @Test
    void aTimestampColumnThatIsNoDateIsAMismatch() throws Exception {
        QuerySpec query = query("metric.m.sql=SELECT id, n FROM " + events + "\n"
                + "metric.m.value=n\n"
                + "metric.m.timestamp=id\n");

        assertThatThrownBy(() -> map(connection, query))
                .isInstanceOf(ColumnPlan.Mismatch.class)
                .hasMessageContaining("metric m: timestamp column 'id' is not a DATE or TIMESTAMP")
                .hasMessageContaining("metric.m.timestamp");
    }

    @Test
    void distributionColumnsMissingFromTheResultAreMismatches() throws Exception {
        for (String[] c : new String[][] {
                {"type=histogram\nmetric.m.bucket-bound=le", "bucket-bound column 'le'"},
                {"type=summary\nmetric.m.quantile=q", "quantile column 'q'"},
                {"type=summary\nmetric.m.quantile=n\nmetric.m.count=cnt", "count column 'cnt'"},
                {"type=histogram\nmetric.m.bucket-bound=n\nmetric.m.sum=total", "sum column 'total'"},
                {"type=gauge\nmetric.m.timestamp=at", "timestamp column 'at'"}}) {
            QuerySpec query = query("metric.m.sql=SELECT id, n, revenue FROM " + orders + "\n"
                    + "metric.m.value=revenue\n"
                    + "metric.m." + c[0] + "\n");
            assertThatThrownBy(() -> map(connection, query)).as(c[1])
                    .isInstanceOf(ColumnPlan.Mismatch.class)
                    .hasMessageContaining("metric m: " + c[1] + " is not among the query's columns")
                    .hasMessageContaining("fix metric.m." + c[1].substring(0, c[1].indexOf(' ')));
        }
    }
}
