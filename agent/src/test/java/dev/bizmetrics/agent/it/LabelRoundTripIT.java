package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.Json;
import dev.bizmetrics.agent.it.support.PostgresSchema;
import dev.bizmetrics.agent.it.support.PrometheusServer;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random Unicode label values (fixed seed) go from PostgreSQL through the agent's text exposition into a real
 * Prometheus server, whose parser must read back exactly what the database holds.
 */
class LabelRoundTripIT {

    private static final long SEED = 424242L;
    private static final int VALUES = 300;
    /** Quotes, backslashes, line breaks and tabs, accents, Greek, CJK, right-to-left, combining and joining marks. */
    private static final String ALPHABET = "aZ09 _-.,;:!?\"'\\\n\t\r/{}=éßøΩλ客户数据العربية\u0301\u200d€";
    private static final String[] EMOJI = {"🚀", "👩‍💻", "🇪🇺", "😀"};

    @Test
    void randomUnicodeLabelValuesComeBackFromPrometheusExactly(@TempDir Path dir) throws Exception {
        Random random = new Random(SEED);
        Set<String> values = new LinkedHashSet<>();
        while (values.size() < VALUES) {
            values.add(randomValue(random));
        }
        List<String> expected = List.copyOf(values);
        try (PostgresSchema pg = PostgresSchema.create()) {
            pg.db().execute("CREATE TABLE labels (v TEXT, i INT)");
            try (Connection c = pg.db().connect();
                 PreparedStatement insert = c.prepareStatement("INSERT INTO labels VALUES (?, ?)")) {
                for (int i = 0; i < expected.size(); i++) {
                    insert.setString(1, expected.get(i));
                    insert.setInt(2, i);
                    insert.executeUpdate();
                }
            }
            Path config = TestConfigs.write(dir, """
                    metric.round_trip.sql=SELECT v AS label, i AS n FROM labels
                    metric.round_trip.interval=1s
                    """);
            try (HostProcess shop = HostProcess.startShop(HostProcess.JAVA_17,
                    List.of(HostProcess.agentFlag("config=" + config + ",http.port=0")),
                    List.of("--jdbc-url", pg.url(), "--user", "postgres", "--rate", "0"))) {
                int agentPort = shop.awaitMetricsPort();
                Scrape.until(agentPort, m -> Scrape.family(m, "round_trip").size() == VALUES, Duration.ofSeconds(30));
                Path prometheusConfig = dir.resolve("prometheus.yml");
                Files.writeString(prometheusConfig, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                        + "scrape_configs:\n  - job_name: bizmetrics\n    static_configs:\n"
                        + "      - targets: ['127.0.0.1:" + agentPort + "']\n");
                try (PrometheusServer prometheus = PrometheusServer.start(dir, prometheusConfig)) {
                    prometheus.until("count(round_trip)", r -> r.equals(Map.of("{}", (double) VALUES)),
                            Duration.ofSeconds(30));
                    Map<Integer, String> stored = new HashMap<>();
                    Map<String, Object> data = Json.object(prometheus.get("/api/v1/query?query="
                            + URLEncoder.encode("round_trip", StandardCharsets.UTF_8)).get("data"));
                    for (Object sample : Json.array(data.get("result"))) {
                        String label = (String) Json.object(Json.object(sample).get("metric")).get("label");
                        int index = Integer.parseInt((String) Json.array(Json.object(sample).get("value")).get(1));
                        stored.put(index, label);
                    }
                    assertThat(stored).hasSize(VALUES);
                    for (int i = 0; i < VALUES; i++) {
                        assertThat(stored.get(i)).as("value %d", i).isEqualTo(expected.get(i));
                    }
                }
            }
        }
    }

    private static String randomValue(Random random) {
        StringBuilder value = new StringBuilder();
        int length = 1 + random.nextInt(40);
        for (int i = 0; i < length; i++) {
            if (random.nextInt(12) == 0) {
                value.append(EMOJI[random.nextInt(EMOJI.length)]);
            } else {
                value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return value.toString();
    }
}
