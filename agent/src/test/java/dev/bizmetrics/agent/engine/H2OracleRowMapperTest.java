package dev.bizmetrics.agent.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The row rules on H2 in {@code MODE=Oracle}, the stand-in for Oracle, which cannot run here: Oracle's DATE (a
 * timestamp to the second), NUMBER, and empty strings that are NULL.
 */
class H2OracleRowMapperTest extends RowMapperContract {

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:mem:" + orders + ";MODE=Oracle;DB_CLOSE_DELAY=-1", "sa", "");
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
}
