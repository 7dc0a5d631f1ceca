package dev.bizmetrics.agent.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** Needs the MariaDB at 127.0.0.1:3306 (database test, user root); fails when it is not there. */
class MariaDbRowMapperIT extends RowMapperContract {

    final String types = orders.replace("orders", "types");

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=5000", "root", "");
    }

    @Override
    String tableOptions() {
        return " CHARACTER SET utf8mb4";
    }

    /** MariaDB's TIMESTAMP is the instant (stored in UTC, shown in the session's zone); it has no WITH TIME ZONE. */
    @Override
    String zonedTimestampType() {
        return "TIMESTAMP(3) NULL";
    }

    @Override
    String localTimestampType() {
        return "DATETIME(3)";
    }

    @Override
    String unaliasedExpression() {
        return "COUNT(*)";
    }

    @Override
    String unaliasedLabel() {
        return "count(*)";
    }

    @BeforeAll
    void createTypes() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE " + types + " (id INT, c_tinyint TINYINT, c_smallint SMALLINT, "
                    + "c_mediumint MEDIUMINT, c_integer INT, c_int_unsigned INT UNSIGNED, c_bigint BIGINT, "
                    + "c_bigint_unsigned BIGINT UNSIGNED, c_decimal DECIMAL(38,10), c_float FLOAT, c_double DOUBLE, "
                    + "c_boolean BOOLEAN, c_bit BIT(1), c_date DATE, c_datetime DATETIME(3), "
                    + "c_timestamp TIMESTAMP(3) NULL)");
            s.execute("INSERT INTO " + types + " VALUES (1, -7, 2, 3, 123456, 4294967295, 9007199254740993, "
                    + "18446744073709551615, 12345678901234567890.5, 1.25, 0.1, TRUE, b'1', '2024-01-02', "
                    + "'2024-01-02 03:04:05.25', '2024-01-02 03:04:05.25')");
            s.execute("INSERT INTO " + types + " (id, c_bigint, c_boolean, c_bit) "
                    + "VALUES (2, 9223372036854775807, FALSE, b'0')");
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

    @Test
    void booleanIsTinyint1AndTheDriverReportsIt() throws Exception {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT c_boolean, c_bit FROM " + types)) {
            // MariaDB Connector/J 3 reports TINYINT(1) and BIT(1) as BOOLEAN (tinyInt1isBit defaults to true)
            assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(Types.BOOLEAN);
            assertThat(rs.getMetaData().getColumnTypeName(1)).isEqualTo("BOOLEAN");
            assertThat(rs.getMetaData().getColumnType(2)).isEqualTo(Types.BOOLEAN);
            assertThat(rs.getMetaData().getColumnTypeName(2)).isEqualTo("BIT");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "c_tinyint         | -7.0",
            "c_smallint        | 2.0",
            "c_mediumint       | 3.0",
            "c_integer         | 123456.0",
            "c_int_unsigned    | 4.294967295E9",
            // 2^53 + 1 has no double: it rounds to the nearest even, 2^53.
            "c_bigint          | 9.007199254740992E15",
            // 2^64 - 1 does not fit a long
            "c_bigint_unsigned | 1.8446744073709552E19",
            "c_decimal         | 1.2345678901234567E19",
            "c_float           | 1.25",
            "c_double          | 0.1",
            "c_boolean         | 1.0",
            "c_bit             | 1.0"})
    void numericTypes(String column, String expected) throws Exception {
        assertThat(valueOf(column, types + " WHERE id = 1")).containsExactly("m " + expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "c_boolean | 0.0",
            "c_bit     | 0.0",
            "c_bigint  | 9.223372036854776E18"})
    void secondRow(String column, String expected) throws Exception {
        assertThat(valueOf(column, types + " WHERE id = 2")).containsExactly("m " + expected);
    }

    @Test
    void timestampIsUnixSeconds() throws Exception {
        // the server's and the JVM's zone are both UTC here; see dateAndDatetimeAreLocalTimeOfTheJvm for other zones
        assertThat(valueOf("c_timestamp", types + " WHERE id = 1")).containsExactly("m 1.70416464525E9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Asia/Kolkata", "America/New_York"})
    void dateAndDatetimeAreLocalTimeOfTheJvm(String zone) throws Exception {
        ZoneId id = ZoneId.of(zone);
        long midnight = LocalDate.of(2024, 1, 2).atStartOfDay(id).toEpochSecond();
        long time = LocalDateTime.of(2024, 1, 2, 3, 4, 5).atZone(id).toEpochSecond();
        assertThat(valueInZone(zone, "c_date", types + " WHERE id = 1")).containsExactly("m " + (double) midnight);
        assertThat(valueInZone(zone, "c_datetime", types + " WHERE id = 1")).containsExactly("m " + (time + 0.25));
    }
}
