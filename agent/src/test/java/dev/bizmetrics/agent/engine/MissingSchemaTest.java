package dev.bizmetrics.agent.engine;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;

import static org.assertj.core.api.Assertions.assertThat;

/** "No such table or column" as each supported database reports it, and nothing else. */
class MissingSchemaTest {

    @Test
    void eachDatabasesNoSuchTableAndColumn() {
        // PostgreSQL: undefined_table, undefined_column
        assertThat(MissingSchema.isMissing(new SQLException("ERROR: relation \"orders\" does not exist", "42P01")))
                .isTrue();
        assertThat(MissingSchema.isMissing(new SQLException("ERROR: column \"x\" does not exist", "42703"))).isTrue();
        // MySQL / MariaDB
        assertThat(MissingSchema.isMissing(new SQLSyntaxErrorException("Table 'test.orders' doesn't exist", "42S02",
                1146))).isTrue();
        assertThat(MissingSchema.isMissing(new SQLException("Unknown column 'x' in 'field list'", "HY000", 1054)))
                .isTrue();
        // H2
        assertThat(MissingSchema.isMissing(new SQLException("Table \"ORDERS\" not found", "42S02", 42102))).isTrue();
        assertThat(MissingSchema.isMissing(new SQLException("Column \"X\" not found", "42S22", 42122))).isTrue();
        // Oracle
        assertThat(MissingSchema.isMissing(new SQLException("ORA-00942: table or view does not exist\n", "42000",
                942))).isTrue();
        assertThat(MissingSchema.isMissing(new SQLException("ORA-00904: \"X\": invalid identifier\n", "42000", 904)))
                .isTrue();
        // wrapped, as pools and proxies do
        assertThat(MissingSchema.isMissing(new RuntimeException(new SQLException("no table", "42P01")))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(MissingSchema.isMissing(new SQLException("ERROR: syntax error at or near \"FORM\"", "42601")))
                .isFalse();
        assertThat(MissingSchema.isMissing(new SQLException("ERROR: permission denied for table orders", "42501")))
                .isFalse();
        assertThat(MissingSchema.isMissing(new SQLException("Connection refused", "08001"))).isFalse();
        assertThat(MissingSchema.isMissing(new SQLException("ORA-01017: invalid username/password", "72000", 1017)))
                .isFalse();
        assertThat(MissingSchema.isMissing(new IllegalStateException("injected failure"))).isFalse();
    }
}
