package dev.bizmetrics.agent.it.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A PostgreSQL schema of the test's own in the shared server, dropped afterwards. */
public final class PostgresSchema implements AutoCloseable {

    private static final ShopDatabase ADMIN = new ShopDatabase("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
    private final String name;

    private PostgresSchema(String name) {
        this.name = name;
    }

    public static PostgresSchema create() throws SQLException {
        String name = "bm_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ADMIN.execute("CREATE SCHEMA " + name);
        return new PostgresSchema(name);
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + name;
    }

    public ShopDatabase db() {
        return new ShopDatabase(url(), "postgres", "");
    }

    public long count(String sql) throws SQLException {
        try (Connection c = db().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        ADMIN.execute("DROP SCHEMA " + name + " CASCADE");
    }
}
