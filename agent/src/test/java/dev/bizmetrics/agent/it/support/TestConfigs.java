package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Agent configuration files a test writes into its own directory, as {@code bizmetrics.properties}. */
public final class TestConfigs {

    private TestConfigs() {
    }

    /** Writes the text as {@code dir/bizmetrics.properties} and returns that path. */
    public static Path write(Path dir, String text) throws IOException {
        Path config = dir.resolve("bizmetrics.properties");
        Files.writeString(config, text);
        return config;
    }

    /**
     * The sample shop's orders by status, and by region from one query feeding two metrics (count and revenue),
     * each second.
     */
    public static Path shopOrders(Path dir) throws IOException {
        return write(dir, """
                defaults.interval=1s
                metric.shop_orders.sql=SELECT status, COUNT(*) AS orders FROM orders GROUP BY status
                metric.shop_orders.help=Orders by status

                # one query feeding two metrics
                query.by_region.sql=SELECT region, COUNT(*) AS n, SUM(amount) AS revenue FROM orders GROUP BY region
                metric.shop_region_orders.query=by_region
                metric.shop_region_orders.value=n
                metric.shop_region_revenue.query=by_region
                metric.shop_region_revenue.value=revenue
                """);
    }
}
