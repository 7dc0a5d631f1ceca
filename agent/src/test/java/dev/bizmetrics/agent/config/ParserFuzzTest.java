package dev.bizmetrics.agent.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Random and mutated inputs for the properties parser, the config validation and the agent arguments: never an
 * exception but our own error, never a hang. The seed is fixed so that a failure reproduces.
 */
class ParserFuzzTest {

    private static final long SEED = 20261124L;
    private static final int CASES = 20_000;
    private static final String SEED_FILE = String.join("\n",
            "http.port=30313   # comment",
            "http.host=0.0.0.0",
            "datasource.main.match=url:^jdbc:h2:mem:(a|b)$",
            "defaults.interval=30s",
            "metric.shop_orders.sql=SELECT status, COUNT(*) AS orders FROM orders GROUP BY status",
            "metric.shop_orders.type=counter",
            "metric.shop_orders.labels=status",
            "metric.shop_orders.const-labels=team=checkout,tier=gold",
            "query.by_status.sql=WITH x AS (SELECT 1 AS n) SELECT n FROM x \\",
            "    WHERE n > 0",
            "metric.shop_n.query=by_status",
            "metric.shop_n.value=n",
            "metric.x.help=caf\\u00e9 \\# not a comment ${HOME:home}");
    private static final String ALPHABET = "=:#!\\\n\r\t ${}.,-_aZ09'\"();*/客🚀\u0000\uFEFF";

    @Test
    void theConfigurationParserOnlyEverReportsProblems() {
        Random random = new Random(SEED);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int valid = 0;
            for (int i = 0; i < CASES; i++) {
                String input = i % 4 == 0 ? randomText(random, 400) : mutate(SEED_FILE, random);
                List<Problem> problems = new ArrayList<>();
                Map<String, Setting> settings = new LinkedHashMap<>();
                for (Setting setting : PropertiesFile.parse(input, "fuzz.properties", problems)) {
                    settings.put(setting.key(), setting);
                }
                AgentConfig config = ConfigParser.parse(settings, problems).config;
                if (config == null) {
                    assertThat(problems).as(input).isNotEmpty();
                }
                for (Problem problem : problems) {
                    assertThat(problem.toString()).as(input).startsWith("fuzz.properties:");
                }
                valid += config != null && problems.isEmpty() ? 1 : 0;
            }
            assertThat(valid).as("some mutants stay valid").isPositive();
        });
    }

    @Test
    void agentArgumentsOnlyEverFailWithAMessage() {
        Random random = new Random(SEED);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < CASES; i++) {
                String input = i % 2 == 0 ? randomText(random, 80)
                        : mutate("config=/etc/shop/bizmetrics.properties,http.port=9999,log.level=debug", random);
                try {
                    AgentArguments arguments = AgentArguments.parse(input);
                    assertThat(arguments.overrides()).doesNotContainKey("config");
                } catch (IllegalArgumentException e) {
                    assertThat(e.getMessage()).as(input).startsWith("agent argument");
                }
            }
        });
    }

    private static String randomText(Random random, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength);
        for (int i = 0; i < length; i++) {
            text.append(random.nextInt(5) == 0 ? (char) random.nextInt(0x3000)
                    : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    /** A few random edits: insert, delete, replace, duplicate or cut. */
    private static String mutate(String seed, Random random) {
        StringBuilder text = new StringBuilder(seed);
        int edits = 1 + random.nextInt(6);
        for (int e = 0; e < edits && text.length() > 0; e++) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(5)) {
                case 0 -> text.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 1 -> text.deleteCharAt(at);
                case 2 -> text.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 3 -> text.insert(at, text.substring(at, Math.min(text.length(), at + random.nextInt(40))));
                default -> text.setLength(at);
            }
        }
        return text.toString();
    }
}
