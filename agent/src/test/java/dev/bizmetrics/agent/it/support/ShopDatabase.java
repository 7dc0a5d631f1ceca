package dev.bizmetrics.agent.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Map;
import java.util.TreeMap;

/** The test's own connection to the database the host uses: the truth the scraped metrics are checked against. */
public final class ShopDatabase {

    private final String url;
    private final String user;
    private final String password;

    public ShopDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The single number a query returns, e.g. {@code SELECT COUNT(*) FROM orders}. */
    public long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The single number a query returns, as a double, e.g. a {@code percentile_cont}. */
    public double number(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    /** Label text as exposed ({@code {status="NEW"}}) → value, from a two-column query. */
    public Map<String, Double> byLabel(String label, String sql) throws SQLException {
        Map<String, Double> result = new TreeMap<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                result.put("{" + label + "=\"" + rs.getString(1) + "\"}", rs.getBigDecimal(2).doubleValue());
            }
        }
        return result;
    }

    /** Label text as exposed ({@code {method="card",status="PENDING"}}) → value, from the label columns then the value. */
    public Map<String, Double> byLabels(java.util.List<String> labels, String sql) throws SQLException {
        Map<String, Double> result = new TreeMap<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                StringBuilder key = new StringBuilder("{");
                for (int i = 0; i < labels.size(); i++) {
                    key.append(i == 0 ? "" : ",").append(labels.get(i)).append("=\"").append(rs.getString(i + 1))
                            .append('"');
                }
                result.put(key.append('}').toString(), rs.getBigDecimal(labels.size() + 1).doubleValue());
            }
        }
        return result;
    }

    public void insertOrders(int count, String status, String region) throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO orders (id, status, region, amount, created_at) VALUES (?, ?, ?, ?, ?)")) {
            long id;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(id) FROM orders")) {
                rs.next();
                id = rs.getLong(1) + 1000;
            }
            for (int i = 0; i < count; i++) {
                ps.setLong(1, id + i);
                ps.setString(2, status);
                ps.setString(3, region);
                ps.setBigDecimal(4, new java.math.BigDecimal("10.50"));
                ps.setTimestamp(5, new Timestamp(System.currentTimeMillis()));
                ps.executeUpdate();
            }
        }
    }

    /** The first column of every row, as text. */
    public java.util.List<String> column(String sql) throws SQLException {
        java.util.List<String> values = new java.util.ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Sorted copy, so that metric families compare with query results regardless of order. */
    public static Map<String, Double> sorted(Map<String, Double> family) {
        return new TreeMap<>(family);
    }
}
