package dev.bizmetrics.agent.fleet;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * A MySQL/MariaDB user lock, {@code GET_LOCK(name, 0)}. The name is {@code bizmetrics.<fleet>.<datasource>} when that
 * is made of plain name characters and fits MySQL's 64, else {@code bizmetrics.} and a hex digest of the identity,
 * so that the SQL literal never needs escaping, whatever the server's {@code sql_mode}.
 *
 * <p>GET_LOCK counts re-entrant takes (MySQL 5.7+, MariaDB 10.0.2+), so a session that holds the lock already
 * ({@code IS_USED_LOCK(name) = CONNECTION_ID()}) does not take it again: one RELEASE_LOCK always frees it. After a
 * take, a second statement checks that the server still shows the lock on the same connection id, which a
 * multiplexing proxy or a server that accepts the function as a no-op would not.
 */
final class MySqlFleetLock implements FleetLock {

    /** MySQL refuses longer user lock names (ER_USER_LOCK_WRONG_NAME). */
    static final int MAX_NAME = 64;
    private static final String PREFIX = "bizmetrics.";
    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9_]+");
    /** MySQL's and MariaDB's error codes for a function that does not exist, is not supported or not allowed. */
    private static final int[] REFUSED = {1305, 1235, 1370, 1227, 1044, 1142};

    private final String name;
    private final String acquire;
    private final String check;
    private final String release;
    private volatile String problem;

    MySqlFleetLock(String fleet, String dataSource) {
        this.name = name(fleet, dataSource);
        String literal = "'" + name + "'";
        this.acquire = "SELECT CONNECTION_ID(), CASE WHEN IS_USED_LOCK(" + literal + ") = CONNECTION_ID() THEN 1 "
                + "ELSE GET_LOCK(" + literal + ", 0) END";
        this.check = "SELECT CONNECTION_ID(), IS_USED_LOCK(" + literal + ") = CONNECTION_ID()";
        this.release = "SELECT RELEASE_LOCK(" + literal + ")";
    }

    /** The lock name: readable when it can be, always within [A-Za-z0-9_.] and 64 characters. */
    static String name(String fleet, String dataSource) {
        String readable = PREFIX + fleet + "." + dataSource;
        if (NAME_PART.matcher(fleet).matches() && NAME_PART.matcher(dataSource).matches()
                && readable.length() <= MAX_NAME) {
            return readable;
        }
        // One dot only, so a digest name never equals a readable one.
        StringBuilder hex = new StringBuilder(PREFIX);
        for (byte b : LockSql.digest(fleet, dataSource)) {
            if (hex.length() + 2 > MAX_NAME) {
                break;
            }
            hex.append(Character.forDigit(b >> 4 & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    @Override
    public String key() {
        return "GET_LOCK('" + name + "')";
    }

    @Override
    public LockState tryAcquire(Connection connection) throws SQLException {
        problem = null;
        String[] row;
        try {
            row = LockSql.firstRow(connection, acquire);
        } catch (SQLException e) {
            if (!refused(e)) {
                throw e;
            }
            problem = "the server refuses user locks (" + LockSql.firstLine(e.getMessage()) + ", error "
                    + e.getErrorCode() + "): fleet mode needs GET_LOCK, IS_USED_LOCK and RELEASE_LOCK, so every "
                    + "replica runs its queries";
            return LockState.UNUSABLE;
        }
        long id = LockSql.number(row[0]);
        if (row[1] == null) {
            problem = "GET_LOCK('" + name + "', 0) returned NULL: the server had an error taking the lock (out of "
                    + "memory, or the session was killed), so every replica runs its queries until it succeeds";
            return LockState.UNUSABLE;
        }
        if (!LockSql.isTrue(row[1])) {
            return LockState.NOT_OURS;
        }
        String[] after = LockSql.firstRow(connection, check);
        long idAfter = LockSql.number(after[0]);
        if (idAfter != id) {
            LockSql.quietly(connection, release);
            problem = "the connection goes through a multiplexing proxy (ProxySQL?): the connection id changed from "
                    + id + " to " + idAfter + " between two statements; session locks cannot be trusted there, so "
                    + "every replica runs its queries (connect this datasource to the server directly for fleet mode)";
            return LockState.UNUSABLE;
        }
        if (!LockSql.isTrue(after[1])) {
            problem = "GET_LOCK('" + name + "', 0) returned 1 but IS_USED_LOCK does not show it on connection " + id
                    + ": this server does not keep user locks (a MySQL-compatible database?), so every replica runs "
                    + "its queries";
            return LockState.UNUSABLE;
        }
        return LockState.OURS;
    }

    @Override
    public boolean release(Connection connection) throws SQLException {
        String[] row = LockSql.firstRow(connection, release);
        return LockSql.isTrue(row[0]);
    }

    @Override
    public String problem() {
        return problem;
    }

    private static boolean refused(SQLException e) {
        for (int code : REFUSED) {
            if (e.getErrorCode() == code) {
                return true;
            }
        }
        return false;
    }


    @Override
    public String toString() {
        return key();
    }
}
