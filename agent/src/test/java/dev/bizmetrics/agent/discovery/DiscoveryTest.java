package dev.bizmetrics.agent.discovery;

import com.zaxxer.hikari.HikariDataSource;
import dev.bizmetrics.agent.config.DataSourceSpec;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Classification and binding over real HikariCP and H2 DataSources (not started: no connection is opened). */
class DiscoveryTest {

    @Test
    void describesAHikariPoolWithItsNameAndACleanUrl() {
        try (HikariDataSource pool = hikari("orders", "jdbc:postgresql://db/shop?user=app&password=s3cret")) {
            DataSourceDescription d = DataSourceDescriber.describe(pool);
            assertThat(d.className()).isEqualTo("com.zaxxer.hikari.HikariDataSource");
            assertThat(d.isPool()).isTrue();
            assertThat(d.poolName()).isEqualTo("orders");
            assertThat(d.url()).isEqualTo("jdbc:postgresql://db/shop");
            assertThat(d.instance()).isSameAs(pool);
        }
    }

    @Test
    void quarkusDatasourceNamesAreReadAsQuarkusMeansThem() {
        assertThat(DataSourceDescriber.quarkusName("Datasource '<default>'")).isEqualTo("<default>");
        assertThat(DataSourceDescriber.quarkusName("Datasource 'users'")).isEqualTo("users");
        assertThat(DataSourceDescriber.quarkusName("Datasource ''")).isEqualTo("Datasource ''");
        assertThat(DataSourceDescriber.quarkusName("orders")).isEqualTo("orders");
    }

    @Test
    void describesUnpooledDataSourcesAsSuch() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:plain;PASSWORD=s3cret");
        DataSourceDescription d = DataSourceDescriber.describe(h2);
        assertThat(d.isPool()).isFalse();
        assertThat(d.poolName()).isEmpty();
        assertThat(d.url()).isEqualTo("jdbc:h2:mem:plain");
        assertThat(DataSourceDescriber.describe(new Object())).isNull();
    }

    @Test
    void autoBindsTheOnlyPoolAndIgnoresUnpooledOnes() {
        try (HikariDataSource pool = hikari("shop", "jdbc:h2:mem:a")) {
            JdbcDataSource inner = new JdbcDataSource();
            inner.setURL("jdbc:h2:mem:a");
            Binding binding = Binder.bind(spec("auto"), describe(pool, inner), List.of(), null);
            assertThat(binding.bound().instance()).isSameAs(pool);
            assertThat(binding.explanation()).isEqualTo("bound by datasource.main.match=auto");
        }
    }

    @Test
    void autoWithTwoPoolsBindsNoneAndSaysWhichMatchPicksEach() {
        try (HikariDataSource orders = hikari("orders", "jdbc:h2:mem:orders");
             HikariDataSource billing = hikari("billing", "jdbc:h2:mem:billing")) {
            Binding binding = Binder.bind(spec("auto"), describe(orders, billing), List.of(), null);
            assertThat(binding.isBound()).isFalse();
            assertThat(binding.explanation())
                    .startsWith("2 DataSources match datasource.main.match=auto; bound none. Pick one:")
                    .contains("datasource.main.match=pool:orders (HikariDataSource@")
                    .contains("datasource.main.match=pool:billing (HikariDataSource@");

            assertThat(Binder.bind(spec("pool:billing"), describe(orders, billing), List.of(), null).bound().instance())
                    .isSameAs(billing);
            assertThat(Binder.bind(spec("url:mem:orders$"), describe(orders, billing), List.of(), null).bound().instance())
                    .isSameAs(orders);
        }
    }

    @Test
    void aSelectorPrefersAPoolOverAnUnpooledDataSourceWithTheSameUrl() {
        try (HikariDataSource pool = hikari("shop", "jdbc:h2:mem:same")) {
            JdbcDataSource plain = new JdbcDataSource();
            plain.setURL("jdbc:h2:mem:same");
            assertThat(Binder.bind(spec("url:jdbc:h2:mem:same"), describe(plain, pool), List.of(), null).bound().instance())
                    .isSameAs(pool);
            assertThat(Binder.bind(spec("class:org.h2.jdbcx.JdbcDataSource"), describe(plain, pool), List.of(), null)
                    .bound().instance())
                    .isSameAs(plain);
        }
    }

    @Test
    void withNoPoolAutoExplainsAndANonMatchingSelectorListsWhatWasSeen() {
        JdbcDataSource plain = new JdbcDataSource();
        plain.setURL("jdbc:h2:mem:x");
        assertThat(Binder.bind(spec("auto"), describe(plain), List.of(), null).explanation())
                .startsWith("no connection pool seen yet (seen: JdbcDataSource@");
        assertThat(Binder.bind(spec("pool:nope"), describe(plain), List.of(), null).explanation())
                .startsWith("no DataSource seen matches datasource.main.match=pool:nope (seen: JdbcDataSource@");
    }

    @Test
    void suggestedUrlMatchesAreLiteralAndFreeOfBackslashes() {
        try (HikariDataSource a = new HikariDataSource(); HikariDataSource b = new HikariDataSource()) {
            a.setJdbcUrl("jdbc:h2:mem:a;MODE=Oracle");
            b.setJdbcUrl("jdbc:h2:mem:b");
            // Unstarted pools without a configured name have none yet, so the URL is what tells them apart.
            List<DataSourceDescription> seen = describe(a, b);
            String suggestion = Binder.suggest(seen.get(0), seen).toString();
            assertThat(suggestion).isEqualTo("url:^jdbc:h2:mem:a;MODE=Oracle$").doesNotContain("\\");
            assertThat(Binder.bind(spec(suggestion), seen, List.of(), null).bound().instance()).isSameAs(a);
        }
    }

    private static HikariDataSource hikari(String poolName, String url) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName(poolName);
        pool.setJdbcUrl(url);
        return pool;
    }

    private static List<DataSourceDescription> describe(Object... instances) {
        return java.util.Arrays.stream(instances).map(DataSourceDescriber::describe).toList();
    }

    private static DataSourceSpec spec(String match) {
        return new DataSourceSpec("main", dev.bizmetrics.agent.config.Selector.parse(match), 1);
    }
}
