package dev.bizmetrics.agent.engine;

import dev.bizmetrics.agent.config.QuerySpec;
import dev.bizmetrics.agent.expose.MetricsCollector;
import dev.bizmetrics.agent.testing.Configs;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds a query through the public config loader, maps its rows, and renders them as a scrape would. */
final class MappingFixture {

    private MappingFixture() {
    }

    /** The one query of a configuration written as properties text. */
    static QuerySpec query(Path dir, String properties) {
        return Configs.query(dir, properties);
    }

    static MappedRows map(Connection connection, QuerySpec query) throws SQLException, ColumnPlan.Mismatch {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query.sql())) {
            return RowMapper.map(query, rs);
        }
    }

    /** The text format exposition of the mapped metrics, as the agent's /metrics writes it. */
    static String render(MappedRows rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.builder().setTimestampsInMs(true).build()
                .write(out, MetricsCollector.forPlainText(new MetricSnapshots(rows.snapshots())));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The sample lines of the exposition, without # HELP / # TYPE lines. */
    static List<String> samples(MappedRows rows) throws IOException {
        return Arrays.stream(render(rows).split("\n"))
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    /** Runs {@code body} with another JVM default time zone, as in a host JVM started with -Duser.timezone. */
    static <T> T inZone(String zone, Callable<T> body) throws Exception {
        TimeZone before = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        try {
            return body.call();
        } finally {
            TimeZone.setDefault(before);
        }
    }
}
