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

    /** Label values that the text format must escape or pass through, by id; id 7 is NULL. */
    static final String[] LABEL_TEXTS = {
            "say \"hi\"", "back\\slash", "line1\nline2", "tab\there", "客户", "\uD83D\uDE00 ok"};

    abstract Connection connect() throws SQLException;

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
}
