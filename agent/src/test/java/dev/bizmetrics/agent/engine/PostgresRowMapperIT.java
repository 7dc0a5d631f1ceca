package dev.bizmetrics.agent.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Properties;

import static dev.bizmetrics.agent.engine.MappingFixture.inZone;
import static dev.bizmetrics.agent.engine.MappingFixture.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Needs the PostgreSQL at 127.0.0.1:5432 (database test, user postgres); fails when it is not there. */
class PostgresRowMapperIT extends RowMapperContract {

    final String types = orders.replace("orders", "types");

    @Override
    Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", props);
    }

    @Override
    String unaliasedExpression() {
        return "COUNT(*) + 1";
    }

    @Override
    String unaliasedLabel() {
        return "?column?";
    }

    @BeforeAll
    void createTypes() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE " + types + " (id integer, c_smallint smallint, c_integer integer, "
                    + "c_bigint bigint, c_numeric numeric(38,10), c_numeric_any numeric, c_real real, c_float float, "
                    + "c_double double precision, c_boolean boolean, c_date date, c_timestamp timestamp(3), "
                    + "c_timestamptz timestamptz)");
            s.execute("INSERT INTO " + types + " VALUES (1, 2, 123456, 9007199254740993, 12345678901234567890.5, "
                    + "-0.25, 1.25, 0.1, 0.1, true, '2024-01-02', '2024-01-02 03:04:05.25', '2024-01-02 03:04:05+00')");
            s.execute("INSERT INTO " + types + " VALUES (2, NULL, NULL, 9223372036854775807, NULL, 'NaN', NULL, NULL, "
                    + "'NaN', false, NULL, NULL, '2024-01-02 08:34:05+05:30')");
            s.execute("INSERT INTO " + types + " (id, c_numeric_any, c_double) VALUES (3, 'Infinity', '-Infinity')");
        }
    }

    @AfterAll
    void dropTypes() throws SQLException {
        if (connection == null) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + types);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "c_smallint    | 2.0",
            "c_integer     | 123456.0",
            // 2^53 + 1 has no double: it rounds to the nearest even, 2^53.
            "c_bigint      | 9.007199254740992E15",
            "c_numeric     | 1.2345678901234567E19",
            "c_numeric_any | -0.25",
            "c_real        | 1.25",
            "c_float       | 0.1",
            "c_double      | 0.1",
            "c_boolean     | 1.0"})
    void numericTypes(String column, String expected) throws Exception {
        assertThat(valueOf(column, types + " WHERE id = 1")).containsExactly("m " + expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2 | c_boolean     | 0.0",
            "2 | c_bigint      | 9.223372036854776E18",
            "2 | c_numeric_any | NaN",
            "2 | c_double      | NaN",
            "3 | c_numeric_any | +Inf",
            "3 | c_double      | -Inf"})
    void otherRows(int id, String column, String expected) throws Exception {
        assertThat(valueOf(column, types + " WHERE id = " + id)).containsExactly("m " + expected);
    }

    @Test
    void numericNanIsABadCounterValueNotAFailedRun() throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT id, c_numeric_any FROM " + types + " ORDER BY id\n"
                + "metric.m.type=counter\n"
                + "metric.m.value=c_numeric_any\n");

        assertThat(samples(rows)).containsExactlyInAnyOrder("m_total{id=\"3\"} +Inf");
        // -0.25 and NaN: a counter is neither negative nor NaN
        assertThat(rows.dropped().get("m")).containsOnly(entry(DropReason.BAD_VALUE, 2L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Asia/Kolkata", "America/New_York"})
    void timestamptzIsItsInstantWhateverTheJvmZone(String zone) throws Exception {
        for (int id = 1; id <= 2; id++) {
            String where = types + " WHERE id = " + id;
            assertThat(valueInZone(zone, "c_timestamptz", where)).containsExactly("m 1.704164645E9");
            // also on a connection opened before the JVM's zone changed (its session TimeZone stays UTC)
            assertThat(inZone(zone, () -> valueOf("c_timestamptz", where))).containsExactly("m 1.704164645E9");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Asia/Kolkata", "America/New_York"})
    void dateAndTimestampAreLocalTimeOfTheJvm(String zone) throws Exception {
        ZoneId id = ZoneId.of(zone);
        long midnight = LocalDate.of(2024, 1, 2).atStartOfDay(id).toEpochSecond();
        long time = LocalDateTime.of(2024, 1, 2, 3, 4, 5).atZone(id).toEpochSecond();
        assertThat(valueInZone(zone, "c_date", types + " WHERE id = 1")).containsExactly("m " + (double) midnight);
        assertThat(valueInZone(zone, "c_timestamp", types + " WHERE id = 1")).containsExactly("m " + (time + 0.25));
    }
}
