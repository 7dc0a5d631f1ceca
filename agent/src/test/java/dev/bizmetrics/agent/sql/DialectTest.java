package dev.bizmetrics.agent.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DialectTest {

    @Test
    void theProductNamesOfTheDriversMapToDialects() {
        assertThat(Dialect.fromProductName("PostgreSQL")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.fromProductName("MySQL")).isEqualTo(Dialect.MYSQL);
        assertThat(Dialect.fromProductName("MariaDB")).isEqualTo(Dialect.MYSQL);
        assertThat(Dialect.fromProductName("Oracle")).isEqualTo(Dialect.ORACLE);
        assertThat(Dialect.fromProductName("H2")).isEqualTo(Dialect.H2);
        assertThat(Dialect.fromProductName("Microsoft SQL Server")).isNull();
        assertThat(Dialect.fromProductName(null)).isNull();
    }

    @Test
    void displayNames() {
        assertThat(Dialect.POSTGRESQL.displayName()).isEqualTo("PostgreSQL");
        assertThat(Dialect.MYSQL.displayName()).isEqualTo("MySQL/MariaDB");
        assertThat(Dialect.ORACLE.displayName()).isEqualTo("Oracle");
        assertThat(Dialect.H2.displayName()).isEqualTo("H2");
    }

    @Test
    void anUnknownDatabaseIsCheckedUnderEveryDialect() {
        assertThat(StatementCheck.check("SELECT GET_LOCK('a', 1)", false, null).problem())
                .isEqualTo(StatementCheck.checkEveryDialect("SELECT GET_LOCK('a', 1)", false).problem())
                .contains("MySQL/MariaDB rules");
    }
}
