package dev.bizmetrics.agent.engine;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

/** Reads a metric value from a result column: numbers as they are, booleans as 1/0, dates as Unix seconds. */
final class ValueReader {

    /** Oracle's {@code BINARY_FLOAT} and {@code BINARY_DOUBLE}, which it reports with vendor type codes. */
    private static final int ORACLE_BINARY_FLOAT = 100;
    private static final int ORACLE_BINARY_DOUBLE = 101;
    /** Oracle's {@code TIMESTAMP WITH TIME ZONE} and {@code TIMESTAMP WITH LOCAL TIME ZONE}. */
    private static final int ORACLE_TIMESTAMP_TZ = -101;
    private static final int ORACLE_TIMESTAMP_LTZ = -102;

    /** The value of a column that is not a number, boolean or date. */
    static final class NotNumeric extends Exception {
        NotNumeric(String typeName) {
            super(typeName, null, false, false);
        }
    }

    private ValueReader() {
    }

    /** True for the JDBC types a value can come from. */
    static boolean isNumeric(int jdbcType) {
        switch (jdbcType) {
            case Types.TINYINT:
            case Types.SMALLINT:
            case Types.INTEGER:
            case Types.BIGINT:
            case Types.DECIMAL:
            case Types.NUMERIC:
            case Types.REAL:
            case Types.FLOAT:
            case Types.DOUBLE:
            case ORACLE_BINARY_FLOAT:
            case ORACLE_BINARY_DOUBLE:
                return true;
            default:
                return false;
        }
    }

    /** True for the JDBC types a sample timestamp can come from: DATE and TIMESTAMP, with or without time zone. */
    static boolean isTemporal(int jdbcType) {
        switch (jdbcType) {
            case Types.DATE:
            case Types.TIMESTAMP:
            case Types.TIMESTAMP_WITH_TIMEZONE:
            case ORACLE_TIMESTAMP_TZ:
            case ORACLE_TIMESTAMP_LTZ:
                return true;
            default:
                return false;
        }
    }

    /**
     * A DATE/TIMESTAMP column as Unix milliseconds, or null for SQL NULL; read as {@link #read} reads dates (a
     * zoned timestamp is its instant, a local one is the JVM's local time).
     */
    static Long readMillis(ResultSet rs, int column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.getTime();
    }

    /**
     * @return the value, or null for SQL NULL
     * @throws NotNumeric for a column of another type
     */
    static Double read(ResultSet rs, int column, int jdbcType, String typeName) throws SQLException, NotNumeric {
        switch (jdbcType) {
            case Types.TINYINT:
            case Types.SMALLINT:
            case Types.INTEGER: {
                long value = rs.getLong(column);
                return rs.wasNull() ? null : (double) value;
            }
            case Types.BIGINT: // not getLong: MariaDB's and MySQL's BIGINT UNSIGNED go up to 2^64 - 1
            case Types.DECIMAL:
            case Types.NUMERIC: {
                BigDecimal value;
                try {
                    value = rs.getBigDecimal(column);
                } catch (SQLException e) {
                    // PostgreSQL's NUMERIC 'NaN' and 'Infinity' have no BigDecimal, but are doubles
                    double d = rs.getDouble(column);
                    return rs.wasNull() ? null : d;
                }
                return value == null ? null : value.doubleValue();
            }
            case Types.REAL:
            case Types.FLOAT:
            case Types.DOUBLE:
            case ORACLE_BINARY_FLOAT:
            case ORACLE_BINARY_DOUBLE: {
                double value = rs.getDouble(column);
                return rs.wasNull() ? null : value;
            }
            case Types.BOOLEAN:
            case Types.BIT: {
                boolean value = rs.getBoolean(column);
                return rs.wasNull() ? null : value ? 1.0 : 0.0;
            }
            case Types.DATE:
            case Types.TIMESTAMP:
            case Types.TIMESTAMP_WITH_TIMEZONE:
            case ORACLE_TIMESTAMP_TZ:
            case ORACLE_TIMESTAMP_LTZ: {
                Timestamp value = rs.getTimestamp(column);
                return value == null ? null : value.getTime() / 1000.0;
            }
            default:
                if (rs.getObject(column) == null) {
                    return null;
                }
                throw new NotNumeric(typeName);
        }
    }
}
