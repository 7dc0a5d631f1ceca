package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static dev.bizmetrics.agent.it.support.ShopDatabase.sorted;

/** What the host-shape tests share: a config with one business metric per datasource, and its check. */
public final class HostShapes {

    private HostShapes() {
    }

    /**
     * A config file: the given extra lines, then {@code metric.<metric>.sql} counting orders by status on each
     * datasource named in {@code metricByDatasource} (datasource name → metric name).
     */
    public static Path config(Path dir, Map<String, String> metricByDatasource, String... lines) throws IOException {
        StringBuilder text = new StringBuilder("defaults.interval=1s\n");
        for (String line : lines) {
            text.append(line).append('\n');
        }
        metricByDatasource.forEach((datasource, metric) -> text.append("metric.").append(metric)
                .append(".sql=SELECT status, COUNT(*) AS n FROM orders GROUP BY status\n")
                .append("metric.").append(metric).append(".datasource=").append(datasource).append('\n'));
        Path config = dir.resolve("bizmetrics.properties");
        Files.writeString(config, text);
        return config;
    }

    /** True when the metric's series are the database's orders by status. */
    public static Predicate<Map<String, Double>> matches(String metric, ShopDatabase db) {
        return scrape -> {
            try {
                return sorted(family(scrape, metric)).equals(db.byLabel("status", OrderDatabases.BY_STATUS));
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        };
    }

    /** Scrapes until the condition holds; on failure the host's output is in the message. */
    public static Map<String, Double> until(HostProcess host, int port, Predicate<Map<String, Double>> condition)
            throws InterruptedException {
        try {
            return Scrape.until(port, condition, Duration.ofSeconds(40));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nhost output:\n" + String.join("\n", host.output()), e);
        }
    }

    public static String info(String className, String datasource, String pool, String url) {
        return "{class=\"" + className + "\",datasource=\"" + datasource + "\",pool=\"" + pool + "\",url=\"" + url
                + "\"}";
    }
}
