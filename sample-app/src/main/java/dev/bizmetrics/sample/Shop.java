package dev.bizmetrics.sample;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * The shop's data and its life: customers who sign up on a plan, orders, and the payments for them, a few of which
 * get stuck at the payment provider. One schema and one set of statements for H2, PostgreSQL, MariaDB/MySQL and
 * Oracle: portable types only (INTEGER, DECIMAL, VARCHAR, TIMESTAMP; no BIGINT, BOOLEAN, SERIAL or identity
 * columns), ids assigned by the application, no LIMIT, no table aliases with AS.
 */
final class Shop {

    static final String[] STATUSES = {"NEW", "PAID", "SHIPPED", "CANCELLED"};
    static final String[] REGIONS = {"eu", "us", "apac"};
    static final String[] PLANS = {"free", "pro", "business"};
    static final String[] METHODS = {"card", "paypal", "invoice"};
    static final String[] CHANNELS = {"web", "mobile", "partner"};
    static final int SCHEMA_VERSION = 2;

    /**
     * Each table: its name, its DDL, then its indexes. {@code DEFAULT CURRENT_TIMESTAMP} on the TIMESTAMP columns
     * keeps MySQL and older MariaDB (explicit_defaults_for_timestamp=OFF) from giving the first one an implicit
     * ON UPDATE CURRENT_TIMESTAMP.
     */
    static final String[][] TABLES = {
        {"shop_meta", "CREATE TABLE shop_meta (id INTEGER PRIMARY KEY, schema_version INTEGER NOT NULL, "
                + "app_version VARCHAR(40) NOT NULL, started_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)"},
        {"customers", "CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL, "
                + "plan VARCHAR(20) NOT NULL, region VARCHAR(20) NOT NULL, "
                + "created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)"},
        {"signups", "CREATE TABLE signups (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, "
                + "plan VARCHAR(20) NOT NULL, channel VARCHAR(20) NOT NULL, "
                + "created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)"},
        {"orders", "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, status VARCHAR(20) NOT NULL, "
                + "region VARCHAR(20) NOT NULL, amount DECIMAL(12,2) NOT NULL, "
                + "created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)",
            "CREATE INDEX orders_status_idx ON orders (status, created_at)"},
        {"payments", "CREATE TABLE payments (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, "
                + "method VARCHAR(20) NOT NULL, status VARCHAR(20) NOT NULL, amount DECIMAL(12,2) NOT NULL, "
                + "created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)",
            "CREATE INDEX payments_status_idx ON payments (status, created_at)",
            "CREATE INDEX payments_order_idx ON payments (order_id)"},
    };

    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;

    private final DataSource dataSource;
    private final String appVersion;
    private final Random random = new Random(42);
    /** Payments the provider has not answered yet, oldest first: resolved a second or two after they were made. */
    private final Deque<long[]> awaitingProvider = new ArrayDeque<>();
    /** Paid orders waiting to ship, oldest first. */
    private final Deque<Integer> toShip = new ArrayDeque<>();
    private final List<Customer> customers = new ArrayList<>();
    private int nextCustomerId;
    private int nextOrderId;
    private int nextPaymentId;

    private record Customer(int id, String region) {
    }

    Shop(DataSource dataSource, String appVersion) {
        this.dataSource = dataSource;
        this.appVersion = appVersion;
    }

    /** Creates the tables that are missing, records this start in shop_meta and loads what the shop needs to run. */
    void createSchema() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            for (String[] table : TABLES) {
                if (!exists(c, table[0])) {
                    try (Statement s = c.createStatement()) {
                        for (int i = 1; i < table.length; i++) {
                            s.executeUpdate(table[i]);
                        }
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM shop_meta");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO shop_meta (id, schema_version, app_version, started_at) VALUES (1, ?, ?, ?)")) {
                ps.setInt(1, SCHEMA_VERSION);
                ps.setString(2, appVersion);
                ps.setTimestamp(3, new Timestamp(System.currentTimeMillis()));
                ps.executeUpdate();
            }
            nextCustomerId = max(c, "customers") + 1;
            nextOrderId = max(c, "orders") + 1;
            nextPaymentId = max(c, "payments") + 1;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, region FROM customers ORDER BY id")) {
                while (rs.next()) {
                    customers.add(new Customer(rs.getInt(1), rs.getString(2)));
                }
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM orders WHERE status = 'PAID' ORDER BY id")) {
                while (rs.next()) {
                    toShip.add(rs.getInt(1));
                }
            }
        }
    }

    /** A table of that name in the connection's own schema: a query on it, which works the same everywhere. */
    private static boolean exists(Connection c, String table) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }

    private static int max(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(id) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * On a shop without customers: 40 customers who signed up over the last 30 days and {@code orders} orders over
     * the last 24 hours. Orders older than 15 minutes are settled (paid, shipped, cancelled), except a few still NEW:
     * their payment is stuck at the provider, or none was ever made; paid orders ship after 6 hours. Orders younger than 15 minutes are paid or
     * cancelled, but for two whose payments are pending: for 13 minutes and for 4, on either side of the 10-minute
     * mark and a few minutes from it. Returns the number of orders.
     */
    int seed(int orders) throws SQLException {
        if (!customers.isEmpty()) {
            return orderCount();
        }
        long now = System.currentTimeMillis();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement customer = c.prepareStatement(INSERT_CUSTOMER);
                 PreparedStatement signup = c.prepareStatement(INSERT_SIGNUP);
                 PreparedStatement order = c.prepareStatement(INSERT_ORDER);
                 PreparedStatement payment = c.prepareStatement(INSERT_PAYMENT)) {
                List<Long> signupTimes = times(40, now - 30 * 24 * HOUR, now - HOUR);
                for (long at : signupTimes) {
                    addCustomer(customer, signup, at);
                }
                // Two payments the provider has not answered yet: for 13 minutes (stuck) and for 4 (not yet stuck).
                for (long age : new long[] {13 * MINUTE, 4 * MINUTE}) {
                    Customer who = customers.get(random.nextInt(customers.size()));
                    int orderId = nextOrderId++;
                    BigDecimal amount = amount();
                    bindOrder(order, orderId, who, "NEW", amount, now - age);
                    order.addBatch();
                    bindPayment(payment, nextPaymentId++, orderId, "PENDING", amount, now - age + 2000);
                    payment.addBatch();
                }
                for (long at : times(orders - 2, now - 24 * HOUR, now - MINUTE)) {
                    Customer who = customers.get(random.nextInt(customers.size()));
                    long age = now - at;
                    double r = random.nextDouble();
                    String status;
                    String paymentStatus;
                    if (age > 15 * MINUTE && r < 0.03) {
                        status = "NEW";
                        paymentStatus = null; // abandoned at checkout
                    } else if (age > 15 * MINUTE && r < 0.07) {
                        status = "NEW";
                        paymentStatus = "PENDING"; // stuck at the provider
                    } else if (r < 0.15) {
                        status = "CANCELLED";
                        paymentStatus = "FAILED";
                    } else {
                        status = age > 6 * HOUR ? "SHIPPED" : "PAID";
                        paymentStatus = "CAPTURED";
                    }
                    int orderId = nextOrderId++;
                    BigDecimal amount = amount();
                    bindOrder(order, orderId, who, status, amount, at);
                    order.addBatch();
                    if (paymentStatus != null) {
                        bindPayment(payment, nextPaymentId++, orderId, paymentStatus, amount, at + 2000);
                        payment.addBatch();
                    }
                    if (status.equals("PAID")) {
                        toShip.add(orderId);
                    }
                }
                customer.executeBatch();
                signup.executeBatch();
                order.executeBatch();
                payment.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return orderCount();
    }

    /** {@code count} moments between from and to, oldest first. */
    private List<Long> times(int count, long from, long to) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            times.add(from + (long) (random.nextDouble() * (to - from)));
        }
        times.sort(Comparator.naturalOrder());
        return times;
    }

    /**
     * One step of shop life: a new order with its payment sent to the provider; the provider's answers for
     * payments sent a second or more ago (captured, failed, or - rarely - no answer at all, so the payment is
     * stuck); now and then a paid order shipped, a signup, a customer changing plan.
     */
    void tick() throws SQLException {
        long now = System.currentTimeMillis();
        try (Connection c = dataSource.getConnection()) {
            if (customers.isEmpty() || random.nextInt(10) == 0) {
                try (PreparedStatement customer = c.prepareStatement(INSERT_CUSTOMER);
                     PreparedStatement signup = c.prepareStatement(INSERT_SIGNUP)) {
                    addCustomer(customer, signup, now);
                    customer.executeBatch();
                    signup.executeBatch();
                }
            }
            Customer who = customers.get(random.nextInt(customers.size()));
            int orderId = nextOrderId++;
            BigDecimal amount = amount();
            try (PreparedStatement order = c.prepareStatement(INSERT_ORDER)) {
                bindOrder(order, orderId, who, "NEW", amount, now);
                order.executeUpdate();
            }
            int paymentId = nextPaymentId++;
            try (PreparedStatement payment = c.prepareStatement(INSERT_PAYMENT)) {
                bindPayment(payment, paymentId, orderId, "PENDING", amount, now);
                payment.executeUpdate();
            }
            awaitingProvider.add(new long[] {paymentId, orderId, now + 1000 + random.nextInt(2000)});

            while (!awaitingProvider.isEmpty() && awaitingProvider.peekFirst()[2] <= now) {
                long[] due = awaitingProvider.removeFirst();
                double r = random.nextDouble();
                if (r < 0.03) {
                    continue; // the provider never answers: the payment stays PENDING, the order NEW
                }
                boolean captured = r >= 0.10;
                update(c, "UPDATE payments SET status = ? WHERE id = ?", captured ? "CAPTURED" : "FAILED", due[0]);
                update(c, "UPDATE orders SET status = ? WHERE id = ?", captured ? "PAID" : "CANCELLED", due[1]);
                if (captured) {
                    toShip.add((int) due[1]);
                }
            }
            if (!toShip.isEmpty() && random.nextInt(3) == 0) {
                update(c, "UPDATE orders SET status = ? WHERE id = ?", "SHIPPED", toShip.removeFirst());
            }
            if (random.nextInt(50) == 0) {
                Customer changing = customers.get(random.nextInt(customers.size()));
                update(c, "UPDATE customers SET plan = ? WHERE id = ?", PLANS[random.nextInt(PLANS.length)],
                        changing.id());
            }
        }
    }

    private static final String INSERT_CUSTOMER =
            "INSERT INTO customers (id, email, plan, region, created_at) VALUES (?, ?, ?, ?, ?)";
    private static final String INSERT_SIGNUP =
            "INSERT INTO signups (id, customer_id, plan, channel, created_at) VALUES (?, ?, ?, ?, ?)";
    private static final String INSERT_ORDER =
            "INSERT INTO orders (id, customer_id, status, region, amount, created_at) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_PAYMENT =
            "INSERT INTO payments (id, order_id, method, status, amount, created_at) VALUES (?, ?, ?, ?, ?, ?)";

    /** Adds one customer and their signup to the two batches. */
    private void addCustomer(PreparedStatement customer, PreparedStatement signup, long at) throws SQLException {
        int id = nextCustomerId++;
        // Most sign up free; weights 6:3:1.
        int p = random.nextInt(10);
        String plan = PLANS[p < 6 ? 0 : p < 9 ? 1 : 2];
        String region = REGIONS[random.nextInt(REGIONS.length)];
        customer.setInt(1, id);
        customer.setString(2, "customer" + id + "@example.com");
        customer.setString(3, plan);
        customer.setString(4, region);
        customer.setTimestamp(5, new Timestamp(at));
        customer.addBatch();
        signup.setInt(1, id);
        signup.setInt(2, id);
        signup.setString(3, plan);
        signup.setString(4, CHANNELS[random.nextInt(CHANNELS.length)]);
        signup.setTimestamp(5, new Timestamp(at));
        signup.addBatch();
        customers.add(new Customer(id, region));
    }

    private static void bindOrder(PreparedStatement ps, int id, Customer who, String status, BigDecimal amount,
                                  long at) throws SQLException {
        ps.setInt(1, id);
        ps.setInt(2, who.id());
        ps.setString(3, status);
        ps.setString(4, who.region());
        ps.setBigDecimal(5, amount);
        ps.setTimestamp(6, new Timestamp(at));
    }

    private void bindPayment(PreparedStatement ps, int id, int orderId, String status, BigDecimal amount, long at)
            throws SQLException {
        ps.setInt(1, id);
        ps.setInt(2, orderId);
        ps.setString(3, METHODS[random.nextInt(METHODS.length)]);
        ps.setString(4, status);
        ps.setBigDecimal(5, amount);
        ps.setTimestamp(6, new Timestamp(at));
    }

    private BigDecimal amount() {
        return BigDecimal.valueOf(500 + random.nextInt(20000), 2);
    }

    private static void update(Connection c, String sql, String value, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            ps.setInt(2, (int) id);
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
