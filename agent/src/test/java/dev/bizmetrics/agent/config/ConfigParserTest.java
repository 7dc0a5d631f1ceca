package dev.bizmetrics.agent.config;

import static dev.bizmetrics.agent.config.ConfigFixture.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kind of mistake, each reported with its key and line, through {@link ConfigLoader}. */
class ConfigParserTest {

    private static final String F = "bizmetrics.properties:";

    @TempDir
    Path dir;

    private ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(dir);
    }

    // ---- agent.main ----

    @Test
    void agentMainMustBeARegularExpression() {
        assertThat(fx.problems("agent.main=com.shop.(Main", "metric.x.sql=SELECT 1 AS n")).containsExactly(
                F + "1: agent.main: is not a regular expression (Unclosed group at index 14); give one found in the "
                        + "main class or jar of the JVMs the agent should run in, e.g. agent.main=^com\\.shop\\.");
        assertThat(fx.problems("agent.main=^com\\.shop\\.", "metric.x.sql=SELECT 1 AS n")).isEmpty();
    }

    // ---- unknown keys ----

    @Test
    void mistypedMetricAttributeSuggestsTheRightKey() {
        assertThat(fx.problems(
                "metric.x.sql=SELECT status, COUNT(*) AS n FROM orders GROUP BY status",
                "metric.x.lables=status")).containsExactly(
                F + "2: metric.x.lables: unknown key; did you mean metric.x.labels?");
    }

    @Test
    void mistypedPlainKeySuggestsTheRightKey() {
        assertThat(fx.problems("htp.port=9999")).containsExactly(
                F + "1: htp.port: unknown key; did you mean http.port?");
        assertThat(fx.problems("allow-any-sq=true")).containsExactly(
                F + "1: allow-any-sq: unknown key; did you mean allow-any-sql?");
    }

    @Test
    void mistypedGroupSuggestsTheRightKey() {
        assertThat(fx.problems("metrics.x.sql=SELECT 1 AS n")).containsExactly(
                F + "1: metrics.x.sql: unknown key; did you mean metric.x.sql?");
        assertThat(fx.problems("datasource.main.macth=auto")).containsExactly(
                F + "1: datasource.main.macth: unknown key; did you mean datasource.main.match?");
    }

    @Test
    void unknownKeyFarFromEverythingHasNoSuggestion() {
        assertThat(fx.problems("shop.colour=blue", "verbose=true", "metric.x.sql=SELECT 1 AS n",
                "metric.x.owner=me", "metric.x=1")).containsExactly(
                F + "1: shop.colour: unknown key; see the configuration reference in README.md",
                F + "2: verbose: unknown key; see the configuration reference in README.md",
                F + "4: metric.x.owner: unknown key; see the configuration reference in README.md",
                F + "5: metric.x: unknown key; see the configuration reference in README.md");
    }

    @Test
    void attributeOfAnotherGroupIsUnknown() {
        assertThat(fx.problems("query.q.help=Helpful", "query.q.sql=SELECT 1 AS n", "metric.m.query=q"))
                .containsExactly(F + "1: query.q.help: unknown key; see the configuration reference in README.md");
    }

    // ---- sql / query ----

    @Test
    void metricWithBothSqlAndQuery() {
        assertThat(fx.problems(
                "query.q.sql=SELECT 1 AS n",
                "metric.x.sql=SELECT 2 AS n",
                "metric.x.query=q")).containsExactly(
                F + "3: metric.x.query: metric x has both sql and query; keep one");
    }

    @Test
    void metricReadingAnUndefinedQuery() {
        assertThat(fx.problems("metric.x.query=nope")).containsExactly(
                F + "1: metric.x.query: no query.nope.sql is defined; define it or use metric.x.sql");
    }

    @Test
    void metricWithNeitherSqlNorQuery() {
        assertThat(fx.problems("http.port=1", "metric.x.help=Lonely", "metric.x.type=gauge")).containsExactly(
                F + "2: metric.x.sql: metric x has neither sql nor query; add metric.x.sql=SELECT ...");
    }

    @Test
    void sharedQueryWithoutSql() {
        assertThat(fx.problems("query.q.interval=1m", "metric.x.query=q")).containsExactly(
                F + "1: query.q.interval: query q has no sql; add query.q.sql=SELECT ...");
        assertThat(fx.problems("query.q.interval=1m")).containsExactly(
                F + "1: query.q.interval: query q has no sql; add query.q.sql=SELECT ...");
    }

    @Test
    void emptySql() {
        assertThat(fx.problems("metric.x.sql=")).containsExactly(
                F + "1: metric.x.sql: the SQL is empty; write a SELECT statement");
    }

    @Test
    void perQuerySettingOnAMetricThatReadsASharedQuery() {
        assertThat(fx.problems(
                "query.by_status.sql=SELECT status, COUNT(*) AS n FROM orders GROUP BY status",
                "metric.x.query=by_status",
                "metric.x.interval=15s",
                "metric.x.timeout=5s",
                "metric.x.datasource=main")).containsExactly(
                F + "3: metric.x.interval: metric x reads query by_status; set query.by_status.interval instead",
                F + "4: metric.x.timeout: metric x reads query by_status; set query.by_status.timeout instead",
                F + "5: metric.x.datasource: metric x reads query by_status; set query.by_status.datasource instead");
    }

    @Test
    void inlineMetricNamedLikeASharedQuery() {
        assertThat(fx.problems(
                "query.orders.sql=SELECT status, COUNT(*) AS n FROM orders GROUP BY status",
                "metric.orders_by_status.query=orders",
                "metric.orders.sql=SELECT COUNT(*) AS n FROM orders")).containsExactly(
                F + "3: metric.orders.sql: metric orders has its own sql and query.orders is defined too; "
                        + "both would be query orders in the self-metrics, rename one");
    }

    // ---- names ----

    @ParameterizedTest
    @ValueSource(strings = {"9orders", "shop-orders", "shop.orders"})
    void invalidMetricName(String name) {
        assertThat(fx.problems("metric." + name + ".help=Orders", "metric." + name + ".sql=SELECT 1 AS n"))
                .containsExactly(F + "1: metric." + name + ".help: '" + name + "' is not a valid metric name; "
                        + "use letters, digits and _, not starting with a digit");
    }

    @Test
    void metricNameOfTheAgentItself() {
        assertThat(fx.problems("metric.bizmetrics_orders.sql=SELECT 1 AS n")).containsExactly(
                F + "1: metric.bizmetrics_orders.sql: metric names starting with bizmetrics_ are the agent's own; "
                        + "choose another prefix");
    }

    @Test
    void invalidLabelName() {
        assertThat(fx.problems(
                "metric.x.sql=SELECT 1 AS n",
                "metric.x.labels=status, cust-id, 9lives, __meta")).containsExactly(
                F + "2: metric.x.labels: 'cust-id' is not a valid label name; use letters, digits and _, "
                        + "not starting with a digit or __ (alias the column in the SQL)",
                F + "2: metric.x.labels: '9lives' is not a valid label name; use letters, digits and _, "
                        + "not starting with a digit or __ (alias the column in the SQL)",
                F + "2: metric.x.labels: '__meta' is not a valid label name; use letters, digits and _, "
                        + "not starting with a digit or __ (alias the column in the SQL)");
    }

    @Test
    void labelListedTwice() {
        assertThat(fx.problems("metric.x.sql=SELECT 1 AS n", "metric.x.labels=status,STATUS")).containsExactly(
                F + "2: metric.x.labels: lists a label twice; list each once");
    }

    @Test
    void invalidConstLabel() {
        assertThat(fx.problems("metric.x.sql=SELECT 1 AS n", "metric.x.const-labels=team=a,gold,my-tier=b"))
                .containsExactly(
                        F + "2: metric.x.const-labels: 'gold' is not name=value; write e.g. team=checkout",
                        F + "2: metric.x.const-labels: 'my-tier' is not a valid label name; use letters, digits "
                                + "and _, not starting with a digit or __ (alias the column in the SQL)");
    }

    @Test
    void constLabelListedTwice() {
        assertThat(fx.problems("metric.x.sql=SELECT 1 AS n", "metric.x.const-labels=team=a,team=b"))
                .containsExactly(F + "2: metric.x.const-labels: lists label team twice; list each once");
    }

    @Test
    void labelAlsoGivenAsConstLabel() {
        assertThat(fx.problems(
                "metric.x.sql=SELECT status, COUNT(*) AS n FROM orders GROUP BY status",
                "metric.x.labels=Status",
                "metric.x.const-labels=status=open")).containsExactly(
                F + "3: metric.x.const-labels: label status is also a column label; keep one");
    }

    @Test
    void valueColumnAlsoALabel() {
        assertThat(fx.problems("metric.x.sql=SELECT 1 AS n", "metric.x.labels=n", "metric.x.value=N"))
                .containsExactly(F + "3: metric.x.value: column n is both a label and the value; "
                        + "remove it from metric.x.labels");
    }

    @Test
    void infoMetricWithValue() {
        assertThat(fx.problems("metric.x.sql=SELECT v FROM t", "metric.x.type=info", "metric.x.value=v"))
                .containsExactly(F + "3: metric.x.value: an info metric has no value column (its value is 1); "
                        + "remove the key");
    }

    @Test
    void counterAndGaugeWithTheSameBaseName() {
        assertThat(fx.problems(
                "metric.shop_orders_total.sql=SELECT COUNT(*) AS n FROM orders",
                "metric.shop_orders_total.type=counter",
                "metric.shop_orders.sql=SELECT COUNT(*) AS n FROM orders")).containsExactly(
                F + "3: metric.shop_orders.sql: metric shop_orders and metric shop_orders_total (set at "
                        + F + "1) have the same name shop_orders once the type's suffix (_total, _info) is left out; "
                        + "rename one");
    }

    @Test
    void counterWithAndWithoutSuffixClash() {
        assertThat(fx.problems(
                "metric.a.sql=SELECT 1 AS n",
                "metric.a.type=counter",
                "query.q.sql=SELECT 1 AS n",
                "metric.a_total.query=q",
                "metric.a_total.type=counter")).containsExactly(
                F + "4: metric.a_total.query: metric a_total and metric a (set at " + F + "1) have the same name a "
                        + "once the type's suffix (_total, _info) is left out; rename one");
    }

    @Test
    void threeMetricsWithOneNameNameTheFirst() {
        assertThat(fx.problems(
                "metric.a.sql=SELECT 1 AS n",
                "metric.a_info.sql=SELECT 1 AS n",
                "metric.a_info.type=info",
                "metric.a_total.sql=SELECT 1 AS n",
                "metric.a_total.type=counter")).containsExactly(
                F + "2: metric.a_info.sql: metric a_info and metric a (set at " + F + "1) have the same name a "
                        + "once the type's suffix (_total, _info) is left out; rename one",
                F + "4: metric.a_total.sql: metric a_total and metric a (set at " + F + "1) have the same name a "
                        + "once the type's suffix (_total, _info) is left out; rename one");
    }

    @Test
    void gaugeNamedTotalSuggestsCounter() {
        assertThat(fx.problems("metric.shop_orders_total.sql=SELECT COUNT(*) AS n FROM orders")).containsExactly(
                F + "1: metric.shop_orders_total.sql: a gauge may not be named ..._total (Prometheus reserves it "
                        + "for counters); rename it or set type=counter");
    }

    @Test
    void otherReservedSuffixes() {
        assertThat(fx.problems(
                "metric.x_created.sql=SELECT 1 AS n",
                "metric.y_info.sql=SELECT 1 AS n",
                "metric.z_total_total.sql=SELECT 1 AS n",
                "metric.z_total_total.type=counter")).containsExactly(
                F + "1: metric.x_created.sql: a gauge may not be named ..._created (Prometheus reserves it); rename it",
                F + "2: metric.y_info.sql: a gauge may not be named ..._info (Prometheus reserves it); rename it",
                F + "3: metric.z_total_total.sql: a counter may not be named ..._total (Prometheus reserves it "
                        + "for counters); rename it");
    }

    // ---- values ----

    @Test
    void unknownType() {
        assertThat(fx.problems("metric.x.sql=SELECT 1 AS n", "", "metric.x.type=gauge2")).containsExactly(
                F + "3: metric.x.type: unknown type 'gauge2'; use gauge, counter, info, histogram or summary");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10 seconds", "10", "1.5s", "-1s", "15S", "1d", "s"})
    void badDuration(String duration) {
        assertThat(fx.problems("metric.x.sql=SELECT 1 AS n", "metric.x.interval=" + duration)).containsExactly(
                F + "2: metric.x.interval: '" + duration + "' is not a duration; write e.g. 500ms, 15s, 1m or 2h");
    }

    @Test
    void durationsOutsideTheirBounds() {
        assertThat(fx.problems("defaults.timeout=0s", "query.q.sql=SELECT 1 AS n", "query.q.interval=0ms",
                "metric.x.query=q", "metric.y.sql=SELECT 1 AS n", "metric.y.timeout=999999999h",
                "metric.y.interval=25h")).containsExactly(
                F + "1: defaults.timeout: '0s' is shorter than 100ms; write a duration from 100ms to 1h",
                F + "3: query.q.interval: '0ms' is shorter than 100ms; write a duration from 100ms to 24h",
                F + "7: metric.y.interval: '25h' is longer than 24h; write a duration from 100ms to 24h",
                F + "6: metric.y.timeout: '999999999h' is longer than 1h; write a duration from 100ms to 1h");
        assertThat(fx.valid("metric.x.sql=SELECT 1 AS n", "metric.x.timeout=1h", "metric.x.interval=24h")
                .queries().get(0).timeoutMillis()).isEqualTo(3_600_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"70000", "-1", "http", "80.5", ""})
    void badHttpPort(String port) {
        assertThat(fx.problems("http.port=" + port)).containsExactly(
                F + "1: http.port: '" + port + "' is not a whole number from 0 to 65535 or off (no port of the "
                        + "agent's)");
    }

    @Test
    void portOffOpensNone() {
        assertThat(fx.valid("http.port=off").http().isOff()).isTrue();
        assertThat(fx.valid("http.port= OFF ").http().isOff()).isTrue();
        assertThat(fx.valid("http.port=0").http().isOff()).isFalse();
    }

    @Test
    void hostRegistryIsOffUnlessAuto() {
        assertThat(fx.valid("metric.x.sql=SELECT 1 AS n").hostRegistry()).isFalse();
        assertThat(fx.valid("export.host-registry=auto").hostRegistry()).isTrue();
        assertThat(fx.valid("export.host-registry=off").hostRegistry()).isFalse();
        assertThat(fx.problems("export.host-registry=micrometer")).containsExactly(
                F + "1: export.host-registry: 'micrometer' is not a host-registry mode; use auto (publish into the "
                        + "application's own Prometheus registry when it has one) or off");
        assertThat(fx.problems("export.host-registy=auto")).containsExactly(
                F + "1: export.host-registy: unknown key; did you mean export.host-registry?");
    }

    @Test
    void portZeroAndMaxAreFine() {
        assertThat(fx.valid("http.port=0").http().port()).isZero();
        assertThat(fx.valid("http.port=65535").http().port()).isEqualTo(65535);
    }

    @Test
    void badMaxSeries() {
        assertThat(fx.problems("defaults.max-series=0", "metric.x.sql=SELECT 1 AS n", "metric.x.max-series=lots"))
                .containsExactly(
                        F + "1: defaults.max-series: '0' is not a whole number from 1 to 2147483647",
                        F + "3: metric.x.max-series: 'lots' is not a whole number from 1 to 2147483647");
    }

    @Test
    void unknownLogLevel() {
        assertThat(fx.problems("log.level=verbose")).containsExactly(
                F + "1: log.level: unknown level 'verbose'; use error, warn, info or debug");
    }

    @Test
    void notABoolean() {
        assertThat(fx.problems("allow-any-sql=yes")).containsExactly(
                F + "1: allow-any-sql: 'yes' is not true or false");
    }

    @Test
    void genericDiscoveryIsTrueOrFalse() {
        assertThat(fx.problems("discovery.generic=true")).isEmpty();
        assertThat(fx.problems("discovery.generic=false  # the default")).isEmpty();
        assertThat(fx.problems("discovery.generic=yes")).containsExactly(
                F + "1: discovery.generic: 'yes' is not true or false");
    }

    // ---- datasources ----

    @Test
    void undefinedDatasource() {
        assertThat(fx.problems(
                "datasource.main.match=auto",
                "metric.x.sql=SELECT 1 AS n",
                "metric.x.datasource=replica")).containsExactly(
                F + "3: metric.x.datasource: no datasource.replica.match is defined; define it or use one of [main]");
    }

    @Test
    void defaultDatasourceMainMissingWhenOthersAreDefined() {
        assertThat(fx.problems("datasource.orders.match=pool:orders", "metric.x.sql=SELECT 1 AS n"))
                .containsExactly(F + "2: metric.x.sql: no datasource.main.match is defined; define it or use one of "
                        + "[orders]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"name:orders", "pool:", "hikari", "url: ", "POOL:x"})
    void matchOfAnUnknownForm(String match) {
        assertThat(fx.problems("datasource.main.match=" + match)).containsExactly(
                F + "1: datasource.main.match: '" + match.trim() + "' is not a match; use auto, pool:<pool name>, "
                        + "url:<regex on the JDBC URL>, class:<class name>, context:<web application context path> or "
                        + "jndi:<JNDI name>");
    }

    @Test
    void invalidUrlRegex() {
        assertThat(fx.problems("datasource.main.match=url:jdbc:h2:[a")).containsExactly(
                F + "1: datasource.main.match: 'jdbc:h2:[a' is not a regular expression: Unclosed character class "
                        + "near index 9");
    }

    @Test
    void jndiNamesAreAcceptedAndNeedAName() {
        assertThat(fx.problems("datasource.main.match=jndi:java:comp/env/jdbc/shop")).isEmpty();
        assertThat(fx.valid("datasource.main.match= jndi:jdbc/shop ").dataSources().get("main").selector().toString())
                .isEqualTo("jndi:jdbc/shop");
        assertThat(fx.problems("datasource.main.match=jndi: ")).containsExactly(
                F + "1: datasource.main.match: 'jndi:' is not a match; use auto, pool:<pool name>, "
                        + "url:<regex on the JDBC URL>, class:<class name>, context:<web application context path> or "
                        + "jndi:<JNDI name>");
    }

    @Test
    void contextPathsAreAcceptedWithTheirLeadingSlash() {
        assertThat(fx.valid("datasource.main.match=context:/shop").dataSources().get("main").selector().toString())
                .isEqualTo("context:/shop");
        assertThat(fx.problems("datasource.main.match=context:/")).isEmpty();
        assertThat(fx.problems("datasource.main.match=context:shop")).containsExactly(
                F + "1: datasource.main.match: 'context:shop' is not a context path; write the web application's "
                        + "context path with its leading slash, e.g. context:/shop (context:/ for the root "
                        + "application)");
    }

    @Test
    void invalidDatasourceNameAndMaxConnections() {
        assertThat(fx.problems("datasource.my+ds.match=auto", "datasource.main.max-connections=17"))
                .containsExactly(
                        F + "1: datasource.my+ds.match: 'my+ds' is not a datasource name; use letters, digits, _ and -",
                        F + "2: datasource.main.max-connections: '17' is not a whole number from 1 to 16");
    }

    // ---- SQL ----

    @ParameterizedTest
    @ValueSource(strings = {
            "DELETE FROM orders",
            "update orders SET status = 'x'",
            "INSERT INTO orders VALUES (1)",
            "-- count them\nDELETE FROM orders",
            "/* a comment */ DELETE FROM orders",
            "  /* one */ -- two\n  truncate table orders"})
    void nonSelectStatementIsRefused(String sql) {
        assertThat(fx.problems("metric.x.sql=" + sql.replace("\n", "\\n"))).singleElement().asString()
                .startsWith(F + "1: metric.x.sql: the statement starts with ")
                .endsWith(" under PostgreSQL rules; only SELECT, WITH and VALUES queries run: rewrite it as a query, "
                        + "or set allow-any-sql=true");
    }

    @Test
    void nonSelectStatementIsAcceptedWithAllowAnySql() {
        AgentConfig config = fx.valid("allow-any-sql=true", "metric.x.sql=UPDATE stats SET n = n + 1 RETURNING n");
        assertThat(config.allowAnySql()).isTrue();
        assertThat(query(config, "x").sql()).isEqualTo("UPDATE stats SET n = n + 1 RETURNING n");
    }

    @Test
    void severalStatementsAreRefused() {
        assertThat(fx.problems("metric.x.sql=SELECT 1; DELETE FROM x")).containsExactly(
                F + "1: metric.x.sql: a second statement after the ; at character 9 under PostgreSQL rules ('DELETE "
                        + "FROM x'); keep one statement (a trailing ; and comments after it are fine)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT COUNT(*) AS n FROM orders;",
            "SELECT COUNT(*) AS n FROM orders ;  -- done",
            "select 'a;b' AS s, 1 AS n",
            "WITH t AS (SELECT 1 AS n) SELECT n FROM t",
            "VALUES (1)",
            "(SELECT 1 AS n)",
            "-- leading comment\nSELECT 1 AS n"})
    void queriesAreAccepted(String sql) {
        AgentConfig config = fx.valid("metric.x.sql=" + sql.replace("\n", "\\n"));
        assertThat(query(config, "x").sql()).isEqualTo(sql);
    }

    // ---- basic auth and TLS ----

    @Test
    void basicAuthKeepsOnlyTheHashOfThePassword() throws Exception {
        fx.env.put("BIZMETRICS_PASSWORD", "s3cret");
        AgentConfig config = fx.valid(
                "http.auth.username=prometheus   # basic auth on every path when set",
                "http.auth.password=${BIZMETRICS_PASSWORD}");
        assertThat(config.http().username()).isEqualTo("prometheus");
        assertThat(config.http().passwordSha256()).isEqualTo(
                java.security.MessageDigest.getInstance("SHA-256").digest("s3cret".getBytes()));
        String hex = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"; // sha256("secret")
        assertThat(fx.valid("http.auth.username=p", "http.auth.password-sha256=" + hex).http().passwordSha256())
                .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest("secret".getBytes()));
    }

    @Test
    void basicAuthMistakesNameTheKey() {
        assertThat(fx.problems("http.auth.username=p", "http.auth.password=a", "http.auth.password-sha256=ab"))
                .containsExactly(F + "3: http.auth.password-sha256: set http.auth.password or "
                        + "http.auth.password-sha256, not both");
        assertThat(fx.problems("http.auth.username=p", "http.auth.password-sha256=xyz")).containsExactly(
                F + "2: http.auth.password-sha256: is not a SHA-256 in hex (64 characters 0-9a-f); make one with: "
                        + "printf %s 'PASSWORD' | sha256sum");
        assertThat(fx.problems("http.auth.username=p")).containsExactly(F + "1: http.auth.username: has no password; "
                + "set http.auth.password=${ENV_VAR} or http.auth.password-sha256");
        assertThat(fx.problems("http.auth.password=a")).containsExactly(F + "1: http.auth.password: a password "
                + "without http.auth.username; set the user name too");
    }

    @Test
    void tlsNeedsAReadableKeystore() throws Exception {
        assertThat(fx.problems("http.tls.keystore=/nonexistent/metrics.p12")).containsExactly(F + "1: "
                + "http.tls.keystore: cannot read /nonexistent/metrics.p12; give the path of a PKCS12 keystore "
                + "(keytool -genkeypair -storetype PKCS12 ...)");
        assertThat(fx.problems("http.tls.keystore-password=x")).containsExactly(F + "1: http.tls.keystore-password: "
                + "a keystore password without http.tls.keystore; set the keystore");
        java.nio.file.Path keystore = java.nio.file.Files.createFile(fx.dir.resolve("metrics.p12"));
        AgentConfig config = fx.valid("http.tls.keystore=" + keystore, "http.tls.keystore-password=changeit");
        assertThat(config.http().keystore()).isEqualTo(keystore.toString());
        assertThat(config.http().keystorePassword()).isEqualTo("changeit");
    }

    // ---- all at once ----

    @Test
    void everyProblemOfAFileIsReportedAtOnce() {
        LoadedConfig loaded = fx.load(
                "htp.port=9999",                                        // 1
                "log.level=loud",                                       // 2
                "http.port=x",                                          // 3
                "http.port=1",                                          // 4
                "metric.9orders.sql=SELECT 1 AS n",                     // 5
                "metric.x.sql=DELETE FROM orders",                      // 6
                "metric.x.type=gauge2",                                 // 7
                "metric.x.interval=soon",                               // 8
                "metric.y.query=missing",                               // 9
                "metric.y.labels=a-b",                                  // 10
                "metric.z.help=no sql",                                 // 11
                "metric.w.sql=SELECT ${UNSET} AS n",                    // 12
                "datasource.main.match=url:[");                         // 13
        assertThat(loaded.isReadable()).isTrue();
        assertThat(loaded.isValid()).isFalse();
        assertThat(loaded.config()).isNull();
        assertThat(ConfigFixture.problems(loaded)).containsExactlyInAnyOrder(
                F + "4: http.port: given twice (also at " + F + "3); keep one",
                F + "12: metric.w.sql: ${UNSET} is not set; set the environment variable or system property UNSET, "
                        + "or write ${UNSET:default}",
                F + "1: htp.port: unknown key; did you mean http.port?",
                F + "3: http.port: 'x' is not a whole number from 0 to 65535 or off (no port of the agent's)",
                F + "2: log.level: unknown level 'loud'; use error, warn, info or debug",
                F + "13: datasource.main.match: '[' is not a regular expression: Unclosed character class near index 0",
                F + "5: metric.9orders.sql: '9orders' is not a valid metric name; use letters, digits and _, "
                        + "not starting with a digit",
                F + "7: metric.x.type: unknown type 'gauge2'; use gauge, counter, info, histogram or summary",
                F + "6: metric.x.sql: the statement starts with DELETE under PostgreSQL rules; only SELECT, WITH "
                        + "and VALUES queries run: rewrite it as a query, or set allow-any-sql=true",
                F + "8: metric.x.interval: 'soon' is not a duration; write e.g. 500ms, 15s, 1m or 2h",
                F + "9: metric.y.query: no query.missing.sql is defined; define it or use metric.y.sql",
                F + "10: metric.y.labels: 'a-b' is not a valid label name; use letters, digits and _, "
                        + "not starting with a digit or __ (alias the column in the SQL)",
                F + "11: metric.z.sql: metric z has neither sql nor query; add metric.z.sql=SELECT ...");
    }
}
