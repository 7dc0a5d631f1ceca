package dev.bizmetrics.agent.it.support;


import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Databases with an {@code orders} table, one per pool under test, on H2 (a TCP server in the test JVM, so that the
 * test reads what the host's pools read) or on PostgreSQL (one schema each, dropped on close).
 */
public final class OrderDatabases implements AutoCloseable {

    public static final String BY_STATUS = "SELECT status, COUNT(*) FROM orders GROUP BY status";
    private static final ShopDatabase PG_ADMIN = new ShopDatabase("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");

    private final boolean h2;
    private final String prefix = "bm" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final List<String> schemas = new ArrayList<>();

    private OrderDatabases(boolean h2) {
        this.h2 = h2;
    }

    /** Databases on an H2 TCP server of this JVM. */
    public static OrderDatabases h2() {
        return new OrderDatabases(true);
    }

    public static OrderDatabases postgres() {
        return new OrderDatabases(false);
    }

    boolean isH2() {
        return h2;
    }

    String user() {
        return isH2() ? "sa" : "postgres";
    }

    String password() {
        return "";
    }

    /** A new database whose URL ends in {@code _<key>} (before H2's settings), with the orders table and no rows. */
    public ShopDatabase create(String key) throws SQLException {
        String name = prefix + "_" + key;
        String url;
        if (isH2()) {
            url = H2Tcp.url(name);
        } else {
            PG_ADMIN.execute("CREATE SCHEMA " + name);
            schemas.add(name);
            url = "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + name;
        }
        ShopDatabase db = new ShopDatabase(url, user(), password());
        db.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, status VARCHAR(20) NOT NULL, region VARCHAR(20), "
                + "amount DECIMAL(12,2), created_at TIMESTAMP)");
        return db;
    }

    /** Orders by status as {@code NEW=3,PAID=1}; a status with count 0 gets no row. */
    public static void fill(ShopDatabase db, Map<String, Integer> byStatus) throws SQLException {
        for (Map.Entry<String, Integer> entry : byStatus.entrySet()) {
            if (entry.getValue() > 0) {
                db.insertOrders(entry.getValue(), entry.getKey(), "eu");
            }
        }
    }

    @Override
    public void close() throws SQLException {
        for (String schema : schemas) {
            PG_ADMIN.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
