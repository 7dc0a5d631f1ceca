package dev.bizmetrics.agent.config;

import static dev.bizmetrics.agent.config.ConfigFixture.metric;
import static dev.bizmetrics.agent.config.ConfigFixture.problems;
import static dev.bizmetrics.agent.config.ConfigFixture.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bizmetrics.agent.log.Log;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(dir);
    }

    // ---- defaults and precedence ----

    @Test
    void emptyFileGivesTheDefaults() {
        LoadedConfig loaded = fx.load("# nothing here");
        assertThat(loaded.isValid()).isTrue();
        assertThat(loaded.isReadable()).isTrue();
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.source()).isEqualTo(dir.resolve("bizmetrics.properties").toString());
        AgentConfig config = loaded.config();
        assertThat(config.http().port()).isEqualTo(30313);
        assertThat(config.http().host()).isEqualTo("0.0.0.0");
        assertThat(config.logLevel()).isEqualTo(Log.Level.INFO);
        assertThat(config.allowAnySql()).isFalse();
        assertThat(config.queries()).isEmpty();
        assertThat(config.dataSources()).containsOnlyKeys("main");
        assertThat(config.dataSources().get("main").selector().toString()).isEqualTo("auto");
        assertThat(config.dataSources().get("main").maxConnections()).isEqualTo(1);
    }

    @Test
    void fileOverridesDefaults() {
        fx.write("http.port=1234");
        assertThat(fx.load(dir.resolve("bizmetrics.properties")).config().http().port()).isEqualTo(1234);
    }

    @Test
    void environmentOverridesFile() {
        fx.env.put("BIZMETRICS_HTTP_PORT", "2000");
        assertThat(fx.valid("http.port=1234").http().port()).isEqualTo(2000);
    }

    @Test
    void environmentAppliesWithoutAFileKey() {
        fx.env.put("BIZMETRICS_LOG_LEVEL", "debug");
        assertThat(fx.valid("http.port=1234").logLevel()).isEqualTo(Log.Level.DEBUG);
    }

    @Test
    void environmentNameIsUpperCaseWithDotsAndDashesAsUnderscores() {
        assertThat(ConfigSource.environmentName("allow-any-sql")).isEqualTo("BIZMETRICS_ALLOW_ANY_SQL");
        assertThat(ConfigSource.environmentName("metric.shop_orders.const-labels"))
                .isEqualTo("BIZMETRICS_METRIC_SHOP_ORDERS_CONST_LABELS");
        fx.env.put("BIZMETRICS_ALLOW_ANY_SQL", "true");
        assertThat(fx.valid("http.port=1").allowAnySql()).isTrue();
    }

    @Test
    void environmentOverridesAFileKeyOfAMetric() {
        fx.env.put("BIZMETRICS_METRIC_SHOP_ORDERS_INTERVAL", "2m");
        AgentConfig config = fx.valid(
                "metric.shop_orders.sql=SELECT 1 AS n",
                "metric.shop_orders.interval=15s");
        assertThat(query(config, "shop_orders").intervalMillis()).isEqualTo(120_000L);
    }

    @Test
    void systemPropertyOverridesEnvironmentAndFile() {
        fx.env.put("BIZMETRICS_HTTP_PORT", "2000");
        fx.system.setProperty("bizmetrics.http.port", "3000");
        assertThat(fx.valid("http.port=1234").http().port()).isEqualTo(3000);
    }

    @Test
    void systemPropertyCanSetAnyKey() {
        fx.system.setProperty("bizmetrics.metric.shop_orders.sql", "SELECT 1 AS n");
        AgentConfig config = fx.valid("http.port=1");
        assertThat(query(config, "shop_orders").sql()).isEqualTo("SELECT 1 AS n");
    }

    @Test
    void agentArgumentOverridesEverything() {
        fx.env.put("BIZMETRICS_HTTP_PORT", "2000");
        fx.system.setProperty("bizmetrics.http.port", "3000");
        fx.overrides.put("http.port", "4000");
        assertThat(fx.valid("http.port=1234").http().port()).isEqualTo(4000);
    }

    @Test
    void problemsNameWhereTheBadValueCameFrom() {
        fx.env.put("BIZMETRICS_HTTP_PORT", "x");
        fx.system.setProperty("bizmetrics.log.level", "loud");
        fx.overrides.put("defaults.interval", "soon");
        assertThat(fx.problems("http.port=1")).containsExactlyInAnyOrder(
                "environment BIZMETRICS_HTTP_PORT: http.port: 'x' is not a whole number from 0 to 65535 or off "
                        + "(no port of the agent's)",
                "system property bizmetrics.log.level: log.level: unknown level 'loud'; use error, warn, info or debug",
                "agent argument: defaults.interval: 'soon' is not a duration; write e.g. 500ms, 15s, 1m or 2h");
    }

    @Test
    void configSystemPropertyIsNotAConfigurationKey() {
        fx.system.setProperty("bizmetrics.config", "/somewhere/else.properties");
        fx.system.setProperty("java.version", "17");
        assertThat(fx.load("http.port=1").problems()).isEmpty();
    }

    @Test
    void unknownSystemPropertyKeyIsAProblem() {
        fx.system.setProperty("bizmetrics.htp.port", "1");
        assertThat(fx.problems("http.port=1")).containsExactly(
                "system property bizmetrics.htp.port: htp.port: unknown key; did you mean http.port?");
    }

    // ---- placeholders ----

    @Test
    void placeholderResolvesFromEnvironment() {
        fx.env.put("PORT", "5555");
        assertThat(fx.valid("http.port=${PORT}").http().port()).isEqualTo(5555);
    }

    @Test
    void placeholderResolvesFromSystemPropertiesWhenNotInEnvironment() {
        fx.system.setProperty("metrics.host", "127.0.0.1");
        assertThat(fx.valid("http.host=${metrics.host}").http().host()).isEqualTo("127.0.0.1");
    }

    @Test
    void environmentWinsOverSystemPropertyInPlaceholders() {
        fx.env.put("HOST", "from-env");
        fx.system.setProperty("HOST", "from-property");
        assertThat(fx.valid("http.host=${HOST}").http().host()).isEqualTo("from-env");
    }

    @Test
    void placeholderDefaultWhenUnset() {
        AgentConfig config = fx.valid(
                "http.port=${PORT:7000}",
                "http.host=${HOST:}",
                "metric.x.sql=SELECT * FROM ${SCHEMA:shop}.orders WHERE a = '${A:x:y}'");
        assertThat(config.http().port()).isEqualTo(7000);
        assertThat(config.http().host()).isEqualTo("0.0.0.0");
        assertThat(query(config, "x").sql()).isEqualTo("SELECT * FROM shop.orders WHERE a = 'x:y'");
    }

    @Test
    void placeholderDefaultIsNotUsedWhenSet() {
        fx.env.put("PORT", "8000");
        assertThat(fx.valid("http.port=${PORT:7000}").http().port()).isEqualTo(8000);
    }

    @Test
    void severalPlaceholdersInOneValueAndSpecialCharactersInTheirValues() {
        fx.env.put("SCHEMA", "sh$op\\1");
        fx.env.put("TABLE", "orders");
        AgentConfig config = fx.valid("metric.x.sql=SELECT COUNT(*) AS n FROM ${SCHEMA}.${TABLE}");
        assertThat(query(config, "x").sql()).isEqualTo("SELECT COUNT(*) AS n FROM sh$op\\1.orders");
    }

    @Test
    void placeholderInAnOverrideIsResolvedToo() {
        fx.env.put("PORT", "6001");
        fx.overrides.put("http.port", "${PORT}");
        assertThat(fx.valid("http.port=1").http().port()).isEqualTo(6001);
    }

    @Test
    void unsetPlaceholderWithoutDefaultIsAProblem() {
        LoadedConfig loaded = fx.load("http.port=1", "http.host=${METRICS_HOST}");
        assertThat(loaded.isValid()).isFalse();
        assertThat(loaded.isReadable()).isTrue();
        assertThat(loaded.config()).isNull();
        assertThat(problems(loaded)).containsExactly(
                "bizmetrics.properties:2: http.host: ${METRICS_HOST} is not set; set the environment variable or "
                        + "system property METRICS_HOST, or write ${METRICS_HOST:default}");
    }

    // ---- reading the file ----

    @Test
    void missingFileIsUnreadableAndNamesThePath() {
        Path missing = dir.resolve("nope.properties");
        LoadedConfig loaded = ConfigLoader.load(new ConfigSource(missing.toString(), Map.of(), Map.of(),
                new Properties()));
        assertThat(loaded.isReadable()).isFalse();
        assertThat(loaded.isValid()).isFalse();
        assertThat(loaded.config()).isNull();
        assertThat(loaded.source()).isEqualTo(missing.toString());
        assertThat(problems(loaded)).containsExactly(missing + ": cannot read the configuration (no such file, "
                + "looked at " + missing.toAbsolutePath() + "); pass its path as -javaagent:bizmetrics-agent.jar=PATH");
    }

    @Test
    void directoryIsUnreadable() {
        LoadedConfig loaded = ConfigLoader.load(new ConfigSource(dir.toString(), Map.of(), Map.of(),
                new Properties()));
        assertThat(loaded.isReadable()).isFalse();
        assertThat(problems(loaded)).singleElement().asString()
                .startsWith(dir + ": cannot read the configuration (it is a directory, looked at ");
    }

    @Test
    void isoLatin1FileIsDecoded() throws Exception {
        Path file = fx.write(StandardCharsets.ISO_8859_1,
                "metric.x.sql=SELECT 1 AS n",
                "metric.x.help=Commandes du café");
        assertThat(Files.readAllBytes(file)).contains((byte) 0xE9);
        LoadedConfig loaded = fx.load(file);
        assertThat(problems(loaded)).isEmpty();
        assertThat(metric(loaded.config(), "x").help()).isEqualTo("Commandes du café");
    }

    @Test
    void utf8FileIsDecoded() throws Exception {
        Path file = fx.write(StandardCharsets.UTF_8,
                "metric.x.sql=SELECT 1 AS n",
                "metric.x.help=客户 by café");
        LoadedConfig loaded = fx.load(file);
        assertThat(problems(loaded)).isEmpty();
        assertThat(metric(loaded.config(), "x").help()).isEqualTo("客户 by café");
    }

    @Test
    void utf8ByteOrderMarkIsIgnored() throws Exception {
        Path file = dir.resolve("bom.properties");
        Files.write(file, "\uFEFFhttp.port=4321\n".getBytes(StandardCharsets.UTF_8));
        LoadedConfig loaded = fx.load(file);
        assertThat(problems(loaded)).isEmpty();
        assertThat(loaded.config().http().port()).isEqualTo(4321);
    }

    @Test
    void originUsesTheFileName() throws Exception {
        Path file = dir.resolve("shop.properties");
        Files.write(file, "\n\nhttp.port=abc\n".getBytes(StandardCharsets.UTF_8));
        assertThat(problems(fx.load(file)))
                .containsExactly("shop.properties:3: http.port: 'abc' is not a whole number from 0 to 65535 or off "
                        + "(no port of the agent's)");
    }

    // ---- locate ----

    @Test
    void locateDefaultsToTheWorkingDirectoryFile() {
        assertThat(new ConfigSource(null, Map.of(), Map.of(), new Properties()).path())
                .isEqualTo("bizmetrics.properties");
    }

    @Test
    void locateUsesEnvironmentThenSystemPropertyThenArgument() {
        Map<String, String> env = Map.of("BIZMETRICS_CONFIG", "/env/b.properties");
        Properties system = new Properties();
        assertThat(new ConfigSource(null, Map.of(), env, system).path()).isEqualTo("/env/b.properties");
        system.setProperty("bizmetrics.config", "/prop/b.properties");
        assertThat(new ConfigSource(null, Map.of(), env, system).path()).isEqualTo("/prop/b.properties");
        assertThat(new ConfigSource("/arg/b.properties", Map.of(), env, system).path()).isEqualTo("/arg/b.properties");
    }

    @Test
    void locateIgnoresBlankValuesAndTrims() {
        Properties system = new Properties();
        system.setProperty("bizmetrics.config", "   ");
        assertThat(new ConfigSource(null, Map.of(), Map.of("BIZMETRICS_CONFIG", " /env/b.properties "), system).path())
                .isEqualTo("/env/b.properties");
        assertThat(new ConfigSource(null, Map.of(), Map.of("BIZMETRICS_CONFIG", ""), system).path())
                .isEqualTo("bizmetrics.properties");
    }
}
