package dev.bizmetrics.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleet.*} and {@code scope}: PRODUCT.md "Beyond one machine: fleet mode". */
class FleetSettingsTest {

    @TempDir
    Path dir;

    private ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(dir);
    }

    @Test
    void theProductExampleParses() {
        AgentConfig config = fx.valid(
                "fleet.mode=lock              # off (default): every replica runs every query | lock: once per database per interval",
                "fleet.name=shop              # default: derived from the datasource's query definitions, so identical configs share it",
                "fleet.check-interval=10s     # how often a follower tries to take over",
                "metric.shop_orders.scope=fleet   # fleet (default when fleet.mode=lock) | instance: runs on every replica",
                "metric.shop_orders.sql=SELECT 1 AS n");
        assertThat(config.fleet().isLock()).isTrue();
        assertThat(config.fleet().checkIntervalMillis()).isEqualTo(10_000L);
        assertThat(config.fleetName("main")).isEqualTo("shop");
        assertThat(config.queries().get(0).scope()).isEqualTo(Scope.FLEET);
    }

    @Test
    void offByDefaultWithFleetScopeAndATenSecondCheck() {
        AgentConfig config = fx.valid("metric.a.sql=SELECT 1 AS n");
        assertThat(config.fleet().mode()).isEqualTo(FleetSettings.Mode.OFF);
        assertThat(config.fleet().checkIntervalMillis()).isEqualTo(10_000L);
        assertThat(config.queries().get(0).scope()).isEqualTo(Scope.FLEET);
    }

    @Test
    void aQueryOrAnInlineMetricMayRunOnEveryReplica() {
        AgentConfig config = fx.valid("fleet.mode=lock",
                "metric.a.sql=SELECT 1 AS n", "metric.a.scope=instance",
                "query.q.sql=SELECT 2 AS n", "query.q.scope=INSTANCE", "metric.b.query=q");
        assertThat(config.queries()).extracting(QuerySpec::scope).containsExactly(Scope.INSTANCE, Scope.INSTANCE);
    }

    @Test
    void replicasWithTheSameQueriesDeriveTheSameFleetAndAChangedQueryAnother() {
        String name = fx.valid("fleet.mode=lock", "metric.a.sql=SELECT 1 AS n").fleetName("main");
        assertThat(fx.valid("fleet.mode=lock", "metric.a.sql=SELECT 1 AS n", "log.level=debug").fleetName("main"))
                .isEqualTo(name).matches("q[0-9a-f]{10}");
        assertThat(fx.valid("fleet.mode=lock", "metric.a.sql=SELECT 2 AS n").fleetName("main")).isNotEqualTo(name);
        assertThat(fx.valid("fleet.mode=lock", "metric.a.sql=SELECT 1 AS n", "metric.a.interval=1m")
                .fleetName("main")).isNotEqualTo(name);
        // A query every replica runs anyway does not split the fleet.
        assertThat(fx.valid("fleet.mode=lock", "metric.a.sql=SELECT 1 AS n", "metric.b.sql=SELECT 3 AS n",
                "metric.b.scope=instance").fleetName("main")).isEqualTo(name);
    }

    @Test
    void eachDataSourceDerivesItsOwnFleet() {
        AgentConfig config = fx.valid("fleet.mode=lock", "datasource.main.match=auto",
                "datasource.other.match=pool:other", "metric.a.sql=SELECT 1 AS n",
                "metric.b.sql=SELECT 1 AS n", "metric.b.datasource=other");
        assertThat(config.fleetName("main")).isNotEqualTo(config.fleetName("other"));
    }

    @Test
    void badValuesNameTheirKeyAndWhatToWrite() {
        assertThat(fx.problems("fleet.mode=leader", "metric.a.sql=SELECT 1 AS n")).singleElement().asString()
                .contains("fleet.mode", "'leader' is not a fleet mode", "use off", "or lock");
        assertThat(fx.problems("fleet.name=shop orders", "metric.a.sql=SELECT 1 AS n")).singleElement().asString()
                .contains("fleet.name", "is not a fleet name", "letters, digits, _ and -");
        assertThat(fx.problems("fleet.name=" + "x".repeat(41), "metric.a.sql=SELECT 1 AS n")).singleElement()
                .asString().contains("up to 40");
        assertThat(fx.problems("fleet.check-interval=100ms", "metric.a.sql=SELECT 1 AS n")).singleElement()
                .asString().contains("fleet.check-interval", "shorter than 500ms");
        assertThat(fx.problems("metric.a.sql=SELECT 1 AS n", "metric.a.scope=cluster")).singleElement().asString()
                .contains("metric.a.scope", "'cluster' is not a scope", "fleet", "instance");
        assertThat(fx.problems("query.q.sql=SELECT 1 AS n", "metric.b.query=q", "metric.b.scope=instance"))
                .singleElement().asString().contains("metric.b.scope", "set query.q.scope instead");
        assertThat(fx.problems("fleet.mod=lock", "metric.a.sql=SELECT 1 AS n")).singleElement().asString()
                .contains("did you mean fleet.mode?");
    }
}
