package dev.bizmetrics.agent.config;

import static dev.bizmetrics.agent.config.ConfigFixture.metric;
import static dev.bizmetrics.agent.config.ConfigFixture.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.bizmetrics.agent.log.Log;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of PRODUCT.md "The properties file", and other valid configurations. */
class ValidConfigTest {

    /** PRODUCT.md's example, verbatim, without the http.auth.* and http.tls.* lines. */
    static final String[] PRODUCT_EXAMPLE = {
        "http.port=30313                 # default 30313; 0 picks a free port and logs it",
        "http.host=0.0.0.0",
        "",
        "datasource.main.match=auto      # which of the application's DataSources a name means",
        "# match forms: auto | pool:<pool name> | url:<regex on JDBC URL> | class:<class name> | jndi:<JNDI name>",
        "datasource.main.max-connections=1   # connections the agent may borrow at once from that pool",
        "discovery.generic=false         # also instrument any other javax.sql.DataSource implementation (costs start-up time)",
        "allow-any-sql=false             # true lets statements other than SELECT/WITH/VALUES run",
        "log.level=info                  # error | warn | info | debug, on stderr with a [bizmetrics] prefix",
        "",
        "defaults.interval=30s           # how often each query runs",
        "defaults.timeout=10s            # statement timeout; the query is cancelled past it",
        "defaults.max-series=10000       # per metric; rows past it are dropped and counted",
        "",
        "# one query, one metric",
        "metric.shop_orders.sql=SELECT status, COUNT(*) AS orders FROM orders GROUP BY status",
        "metric.shop_orders.help=Orders by status",
        "metric.shop_orders.type=gauge            # gauge | counter | info",
        "metric.shop_orders.labels=status         # default: every column but the value column",
        "metric.shop_orders.value=orders          # default: the one numeric column that is not a label",
        "metric.shop_orders.const-labels=team=checkout,tier=gold",
        "metric.shop_orders.interval=15s",
        "metric.shop_orders.datasource=main       # default: main",
        "",
        "# one query feeding several metrics: it runs once per interval",
        "query.by_status.sql=SELECT status, COUNT(*) AS n, SUM(amount) AS revenue FROM orders GROUP BY status",
        "query.by_status.interval=1m",
        "metric.shop_orders_n.query=by_status",
        "metric.shop_orders_n.value=n",
        "metric.shop_revenue.query=by_status",
        "metric.shop_revenue.value=revenue",
    };

    @TempDir
    Path dir;

    private ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(dir);
    }

    @Test
    void productExampleParses() {
        AgentConfig config = fx.valid(PRODUCT_EXAMPLE);

        assertThat(config.http().port()).isEqualTo(30313);
        assertThat(config.http().host()).isEqualTo("0.0.0.0");
        assertThat(config.logLevel()).isEqualTo(Log.Level.INFO);
        assertThat(config.allowAnySql()).isFalse();
        assertThat(config.dataSources()).containsOnlyKeys("main");
        assertThat(config.dataSources().get("main").name()).isEqualTo("main");
        assertThat(config.dataSources().get("main").selector().toString()).isEqualTo("auto");
        assertThat(config.dataSources().get("main").maxConnections()).isEqualTo(1);

        assertThat(config.queries()).extracting(QuerySpec::id).containsExactly("shop_orders", "by_status");

        QuerySpec inline = query(config, "shop_orders");
        assertThat(inline.sql()).isEqualTo("SELECT status, COUNT(*) AS orders FROM orders GROUP BY status");
        assertThat(inline.intervalMillis()).isEqualTo(15_000L);
        assertThat(inline.timeoutMillis()).isEqualTo(10_000L);
        assertThat(inline.dataSource()).isEqualTo("main");
        assertThat(inline.metrics()).hasSize(1);
        MetricSpec orders = inline.metrics().get(0);
        assertThat(orders.name()).isEqualTo("shop_orders");
        assertThat(orders.baseName()).isEqualTo("shop_orders");
        assertThat(orders.help()).isEqualTo("Orders by status");
        assertThat(orders.type()).isEqualTo(MetricType.GAUGE);
        assertThat(orders.labels()).containsExactly("status");
        assertThat(orders.valueColumn()).isEqualTo("orders");
        assertThat(orders.constLabels()).containsExactly(entry("team", "checkout"), entry("tier", "gold"));
        assertThat(orders.maxSeries()).isEqualTo(10_000);

        QuerySpec shared = query(config, "by_status");
        assertThat(shared.sql())
                .isEqualTo("SELECT status, COUNT(*) AS n, SUM(amount) AS revenue FROM orders GROUP BY status");
        assertThat(shared.intervalMillis()).isEqualTo(60_000L);
        assertThat(shared.timeoutMillis()).isEqualTo(10_000L);
        assertThat(shared.dataSource()).isEqualTo("main");
        assertThat(shared.metrics()).extracting(MetricSpec::name).containsExactly("shop_orders_n", "shop_revenue");
        MetricSpec n = shared.metrics().get(0);
        assertThat(n.baseName()).isEqualTo("shop_orders_n");
        assertThat(n.type()).isEqualTo(MetricType.GAUGE);
        assertThat(n.labels()).isNull();
        assertThat(n.valueColumn()).isEqualTo("n");
        assertThat(n.help()).isEqualTo("Metric shop_orders_n from bizmetrics");
        assertThat(n.constLabels()).isEmpty();
        assertThat(n.maxSeries()).isEqualTo(10_000);
        assertThat(shared.metrics().get(1).valueColumn()).isEqualTo("revenue");
    }

    @Test
    void productExampleWithItsAuthAndTlsLines() throws Exception {
        fx.env.put("BIZMETRICS_PASSWORD", "pw");
        fx.env.put("KEYSTORE_PASSWORD", "ks");
        java.nio.file.Path keystore = java.nio.file.Files.createFile(fx.dir.resolve("metrics.p12"));
        List<String> lines = new ArrayList<>(List.of(
                "http.auth.username=prometheus   # basic auth on every path when set",
                "http.auth.password=${BIZMETRICS_PASSWORD}     # or http.auth.password-sha256=<hex>",
                "http.tls.keystore=" + keystore + "       # HTTPS when set (PKCS12)",
                "http.tls.keystore-password=${KEYSTORE_PASSWORD}"));
        lines.addAll(List.of(PRODUCT_EXAMPLE));
        AgentConfig config = fx.valid(lines.toArray(String[]::new));
        assertThat(config.http().username()).isEqualTo("prometheus");
        assertThat(config.http().keystore()).isEqualTo(keystore.toString());
        assertThat(config.http().keystorePassword()).isEqualTo("ks");
    }

    @Test
    void sharedQueryFeedingTwoMetricsIsOneQuerySpec() {
        AgentConfig config = fx.valid(PRODUCT_EXAMPLE);
        assertThat(config.queries()).filteredOn(q -> q.id().equals("by_status")).hasSize(1);
        assertThat(config.queries()).flatExtracting(QuerySpec::metrics).extracting(MetricSpec::name)
                .containsExactly("shop_orders", "shop_orders_n", "shop_revenue");
    }

    @Test
    void counterBaseNameDropsTotalAndInfoDropsInfo() {
        AgentConfig config = fx.valid(
                "metric.shop_orders_total.sql=SELECT COUNT(*) AS n FROM orders",
                "metric.shop_orders_total.type=COUNTER",
                "metric.shop_signups.sql=SELECT COUNT(*) AS n FROM users",
                "metric.shop_signups.type=counter",
                "metric.shop_build_info.sql=SELECT version FROM build",
                "metric.shop_build_info.type= info ");
        MetricSpec total = metric(config, "shop_orders_total");
        assertThat(total.type()).isEqualTo(MetricType.COUNTER);
        assertThat(total.baseName()).isEqualTo("shop_orders");
        assertThat(metric(config, "shop_signups").baseName()).isEqualTo("shop_signups");
        MetricSpec info = metric(config, "shop_build_info");
        assertThat(info.type()).isEqualTo(MetricType.INFO);
        assertThat(info.baseName()).isEqualTo("shop_build");
    }

    @Test
    void labelsAndValueAreLowerCasedAndTrimmed() {
        MetricSpec m = metric(fx.valid(
                "metric.x.sql=SELECT STATUS, REGION, COUNT(*) AS N FROM orders GROUP BY STATUS, REGION",
                "metric.x.labels= Status ,REGION,, ",
                "metric.x.value= N "), "x");
        assertThat(m.labels()).containsExactly("status", "region");
        assertThat(m.valueColumn()).isEqualTo("n");
    }

    @Test
    void defaultsApplyToEveryQueryAndMetricsCanOverride() {
        AgentConfig config = fx.valid(
                "defaults.interval=2m",
                "defaults.timeout=500ms",
                "defaults.max-series=50",
                "metric.a.sql=SELECT 1 AS n",
                "metric.b.sql=SELECT 1 AS n",
                "metric.b.interval=2h",
                "metric.b.timeout=1s",
                "metric.b.max-series=7");
        assertThat(query(config, "a").intervalMillis()).isEqualTo(120_000L);
        assertThat(query(config, "a").timeoutMillis()).isEqualTo(500L);
        assertThat(metric(config, "a").maxSeries()).isEqualTo(50);
        assertThat(query(config, "b").intervalMillis()).isEqualTo(7_200_000L);
        assertThat(query(config, "b").timeoutMillis()).isEqualTo(1_000L);
        assertThat(metric(config, "b").maxSeries()).isEqualTo(7);
    }

    @Test
    void defaultsWithoutAnySetting() {
        AgentConfig config = fx.valid("metric.a.sql=SELECT 1 AS n");
        QuerySpec a = query(config, "a");
        assertThat(a.intervalMillis()).isEqualTo(30_000L);
        assertThat(a.timeoutMillis()).isEqualTo(10_000L);
        assertThat(a.dataSource()).isEqualTo("main");
        assertThat(metric(config, "a").maxSeries()).isEqualTo(10_000);
        assertThat(metric(config, "a").type()).isEqualTo(MetricType.GAUGE);
    }

    @Test
    void severalDatasources() {
        AgentConfig config = fx.valid(
                "datasource.main.match=pool:HikariPool-1",
                "datasource.reports.match=url:jdbc:postgresql://.*/reports",
                "datasource.reports.max-connections=2",
                "datasource.legacy.match=class:com.example.LegacyDataSource",
                "query.q.sql=SELECT 1 AS n",
                "query.q.datasource=reports",
                "query.q.timeout=3s",
                "metric.m.query=q",
                "metric.x.sql=SELECT 1 AS n",
                "metric.x.datasource=legacy");
        assertThat(config.dataSources()).containsOnlyKeys("main", "reports", "legacy");
        assertThat(config.dataSources().get("reports").selector().toString()).isEqualTo("url:jdbc:postgresql://.*/reports");
        assertThat(config.dataSources().get("reports").maxConnections()).isEqualTo(2);
        assertThat(query(config, "q").dataSource()).isEqualTo("reports");
        assertThat(query(config, "q").timeoutMillis()).isEqualTo(3_000L);
        assertThat(query(config, "x").dataSource()).isEqualTo("legacy");
    }

    @Test
    void multiLineSqlWithContinuations() {
        AgentConfig config = fx.valid(
                "metric.shop_payments_stuck.sql=SELECT COUNT(*) AS n \\",
                "    FROM payments \\",
                "    WHERE status = 'PENDING'",
                "metric.shop_payments_stuck.help=Payments stuck for 10 minutes");
        assertThat(query(config, "shop_payments_stuck").sql())
                .isEqualTo("SELECT COUNT(*) AS n FROM payments WHERE status = 'PENDING'");
    }

    @Test
    void unusedSharedQueryIsNotScheduled() {
        AgentConfig config = fx.valid("query.q.sql=SELECT 1 AS n", "metric.m.sql=SELECT 1 AS n");
        assertThat(config.queries()).extracting(QuerySpec::id).containsExactly("m");
    }

    @Test
    void emptyLabelsMeansNoLabels() {
        assertThat(metric(fx.valid("metric.x.sql=SELECT 1 AS n", "metric.x.labels="), "x").labels()).isEmpty();
    }

    @Test
    void sampleAppConfigurationIsValid() {
        AgentConfig config = fx.valid(
                "# bizmetrics configuration for the sample shop (sample-app/).",
                "http.port=30313",
                "",
                "metric.shop_orders.sql=SELECT status, COUNT(*) AS orders FROM orders GROUP BY status",
                "metric.shop_orders.help=Orders by status",
                "metric.shop_orders.interval=5s",
                "",
                "query.by_region.sql=SELECT region, COUNT(*) AS n, SUM(amount) AS revenue FROM orders GROUP BY region",
                "query.by_region.interval=5s",
                "metric.shop_region_orders.query=by_region",
                "metric.shop_region_orders.value=n",
                "metric.shop_region_revenue.query=by_region",
                "metric.shop_region_revenue.value=revenue");
        assertThat(config.queries()).extracting(QuerySpec::id).containsExactly("shop_orders", "by_region");
    }
}
