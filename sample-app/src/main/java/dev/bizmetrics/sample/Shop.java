package dev.bizmetrics.sample;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Random;

/** The shop's data: orders with a status, a region and an amount. SQL that runs on H2, PostgreSQL, MariaDB and Oracle. */
final class Shop {

    static final String[] STATUSES = {"NEW", "PAID", "SHIPPED", "CANCELLED"};
    static final String[] REGIONS = {"eu", "us", "apac"};

    private final DataSource dataSource;
    private final Random random = new Random(42);
    private long nextId;

    Shop(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void createSchema() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean exists;
            try (ResultSet tables = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                exists = false;
                while (tables.next()) {
                    exists |= tables.getString("TABLE_NAME").equalsIgnoreCase("orders")
                            && isCurrentSchema(c, tables.getString("TABLE_SCHEM"));
                }
            }
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("CREATE TABLE orders (id BIGINT PRIMARY KEY, status VARCHAR(20) NOT NULL, "
                            + "region VARCHAR(20) NOT NULL, amount DECIMAL(12,2) NOT NULL, created_at TIMESTAMP NOT NULL)");
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(id) FROM orders")) {
                rs.next();
                nextId = rs.getLong(1) + 1;
            }
        }
    }

    private static boolean isCurrentSchema(Connection c, String schema) throws SQLException {
        String current = c.getSchema();
        return schema == null || current == null || schema.equalsIgnoreCase(current);
    }

    /** Adds orders until there are at least {@code count}; returns how many there are. */
    int seed(int count) throws SQLException {
        while (orderCount() < count) {
            insertOrder();
        }
        return orderCount();
    }

    /** One step of shop life: a new order, and now and then an order moving on to its next status. */
    void tick() throws SQLException {
        insertOrder();
        if (random.nextInt(3) == 0) {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("UPDATE orders SET status = ? WHERE id = ? AND status = ?")) {
                int from = random.nextInt(2);
                ps.setString(1, STATUSES[from + 1]);
                ps.setLong(2, 1 + (long) random.nextInt((int) Math.max(1, nextId - 1)));
                ps.setString(3, STATUSES[from]);
                ps.executeUpdate();
            }
        }
    }

    private void insertOrder() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO orders (id, status, region, amount, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, nextId++);
            ps.setString(2, STATUSES[random.nextInt(STATUSES.length)]);
            ps.setString(3, REGIONS[random.nextInt(REGIONS.length)]);
            ps.setBigDecimal(4, BigDecimal.valueOf(500 + random.nextInt(20000), 2));
            ps.setTimestamp(5, new Timestamp(System.currentTimeMillis()));
            ps.executeUpdate();
        }
    }

    int orderCount() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM orders")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
