package dev.bizmetrics.sample;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.util.HashMap;
import java.util.Map;

/**
 * A small shop service: a HikariCP pool named "shop", customers, orders, payments and signups, and a stream of new
 * orders, payments (a few of which get stuck), shipments, signups and plan changes. It knows nothing of bizmetrics.
 *
 * <pre>
 * java -jar sample-app.jar [--jdbc-url URL] [--user U] [--password P] [--rate ORDERS_PER_SECOND] [--run-seconds N]
 * </pre>
 * Each option can also come from the environment: SHOP_JDBC_URL, SHOP_USER, SHOP_PASSWORD, SHOP_RATE,
 * SHOP_RUN_SECONDS. The default database is an in-memory H2. On an empty database the shop creates its tables and
 * a day of history; {@code --rate 0} keeps it idle after that (the data then only changes when you change it).
 */
public final class ShopApp {

    private ShopApp() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String url = options.get("jdbc-url");
        double rate = Double.parseDouble(options.get("rate"));
        long runSeconds = Long.parseLong(options.get("run-seconds"));

        HikariConfig config = new HikariConfig();
        config.setPoolName("shop");
        config.setJdbcUrl(url);
        config.setUsername(options.get("user"));
        config.setPassword(options.get("password"));
        config.setMaximumPoolSize(5);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Shop shop = new Shop(pool, version());
            shop.createSchema();
            int seeded = shop.seed(50);
            System.out.println("shop: started on " + url + " with " + seeded + " orders");
            long end = runSeconds > 0 ? System.currentTimeMillis() + runSeconds * 1000 : Long.MAX_VALUE;
            long pauseMillis = rate > 0 ? (long) (1000 / rate) : 1000;
            long lastReport = System.currentTimeMillis();
            while (System.currentTimeMillis() < end) {
                if (rate > 0) {
                    shop.tick();
                }
                Thread.sleep(Math.min(pauseMillis, Math.max(1, end - System.currentTimeMillis())));
                if (System.currentTimeMillis() - lastReport >= 10_000) {
                    System.out.println("shop: " + shop.orderCount() + " orders");
                    lastReport = System.currentTimeMillis();
                }
            }
            System.out.println("shop: done with " + shop.orderCount() + " orders");
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        options.put("jdbc-url", env("SHOP_JDBC_URL", "jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1"));
        options.put("user", env("SHOP_USER", "sa"));
        options.put("password", env("SHOP_PASSWORD", ""));
        options.put("rate", env("SHOP_RATE", "5"));
        options.put("run-seconds", env("SHOP_RUN_SECONDS", "0"));
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !options.containsKey(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown or incomplete option '" + args[i] + "'; options: "
                        + "--jdbc-url URL --user U --password P --rate ORDERS_PER_SECOND --run-seconds N");
            }
            options.put(name, args[++i]);
        }
        return options;
    }

    private static String version() {
        String version = ShopApp.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
