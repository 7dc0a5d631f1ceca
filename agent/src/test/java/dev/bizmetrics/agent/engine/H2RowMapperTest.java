package dev.bizmetrics.agent.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

import static dev.bizmetrics.agent.engine.MappingFixture.inZone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class H2RowMapperTest extends RowMapperContract {

    final String types = orders.replace("orders", "types");

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:mem:" + orders + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    @Override
    String unaliasedExpression() {
        return "COUNT(*)";
    }

    @Override
    String unaliasedLabel() {
        return "count(*)";
    }

    @Override
    void defaultZoneChanged() {
        org.h2.util.DateTimeUtils.resetCalendar();
    }

    @BeforeAll
    void createTypes() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE " + types + " (id INTEGER, c_tinyint TINYINT, c_smallint SMALLINT, "
                    + "c_integer INTEGER, c_bigint BIGINT, c_numeric NUMERIC(38,10), c_decimal DECIMAL(10,2), "
                    + "c_decfloat DECFLOAT, c_real REAL, c_float FLOAT, c_double DOUBLE PRECISION, c_boolean BOOLEAN, "
                    + "c_date DATE, c_timestamp TIMESTAMP, c_timestamptz TIMESTAMP WITH TIME ZONE)");
            s.execute("INSERT INTO " + types + " VALUES (1, -7, 2, 123456, 9007199254740993, "
                    + "12345678901234567890.5, -0.25, 1.5, 0.1, 0.1, 0.1, TRUE, DATE '2024-01-02', "
                    + "TIMESTAMP '2024-01-02 03:04:05.250', TIMESTAMP WITH TIME ZONE '2024-01-02 03:04:05+00')");
            s.execute("INSERT INTO " + types + " VALUES (2, NULL, NULL, NULL, 9223372036854775807, NULL, NULL, "
                    + "NULL, NULL, NULL, NULL, FALSE, NULL, NULL, TIMESTAMP WITH TIME ZONE '2024-01-02 08:34:05+05:30')");
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
            "c_tinyint   | -7.0",
            "c_smallint  | 2.0",
            "c_integer   | 123456.0",
            // 2^53 + 1 has no double: it rounds to the nearest even, 2^53.
            "c_bigint    | 9.007199254740992E15",
            "c_numeric   | 1.2345678901234567E19",
            "c_decimal   | -0.25",
            "c_decfloat  | 1.5",
            // REAL is single precision: 0.1f widened to double.
            "c_real      | 0.10000000149011612",
            "c_float     | 0.1",
            "c_double    | 0.1",
            "c_boolean   | 1.0"})
    void numericTypes(String column, String expected) throws Exception {
        assertThat(valueOf(column, types + " WHERE id = 1")).containsExactly("m " + expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "c_boolean | 0.0",
            "c_bigint  | 9.223372036854776E18"})
    void secondRow(String column, String expected) throws Exception {
        assertThat(valueOf(column, types + " WHERE id = 2")).containsExactly("m " + expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Asia/Kolkata", "America/New_York"})
    void timestampWithTimeZoneIsItsInstantWhateverTheJvmZone(String zone) throws Exception {
        for (int id = 1; id <= 2; id++) {
            String where = types + " WHERE id = " + id;
            assertThat(valueInZone(zone, "c_timestamptz", where)).containsExactly("m 1.704164645E9");
            // also on a connection opened before the JVM's zone changed
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

    @ParameterizedTest
    @ValueSource(strings = {"c_smallint", "c_numeric", "c_real", "c_date", "c_timestamp"})
    void nullOfEveryTypeIsNullValue(String column) throws Exception {
        MappedRows rows = run("metric.m.sql=SELECT " + column + " AS v FROM " + types + " WHERE id = 2\n"
                + "metric.m.value=v\n");
        assertThat(rows.dropped().get("m")).containsOnly(entry(DropReason.NULL_VALUE, 1L));
    }
}
