package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static dev.bizmetrics.agent.it.support.ShopDatabase.sorted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every recognised pool in one host ({@code PoolsHost}), each on its own database: the configuration binds each by
 * {@code pool:} (the pools that have a name) or {@code url:} (those that have none), gives each a business metric,
 * and leaves {@code main} on {@code auto}, which must bind none and explain. The expectations are the
 * compatibility table of the README.
 */
public final class PoolMatrix {

    /**
     * A recognised pool: its kind in PoolsHost, its class, the pool name the agent must read ("" for none: the
     * host sets none where the pool has no name of its own), and the property the name comes from.
     */
    record Pool(String kind, String className, String poolName, String nameProperty) {
        String selector() {
            return poolName.isEmpty() ? "url:_" + kind + "(;|$)" : "pool:" + poolName;
        }
    }

    static final List<Pool> POOLS = List.of(
            new Pool("hikari", "com.zaxxer.hikari.HikariDataSource", "hikari", "`poolName`"),
            new Pool("tomcat_jdbc", "org.apache.tomcat.jdbc.pool.DataSource", "tomcat_jdbc", "`name`"),
            new Pool("dbcp2", "org.apache.commons.dbcp2.BasicDataSource", "", "`jmxName`, when set"),
            new Pool("dbcp2_managed", "org.apache.commons.dbcp2.managed.BasicManagedDataSource", "",
                    "`jmxName`, when set"),
            new Pool("tomcat_dbcp", "org.apache.tomcat.dbcp.dbcp2.BasicDataSource", "", "`jmxName`, when set"),
            new Pool("c3p0", "com.mchange.v2.c3p0.ComboPooledDataSource", "c3p0", "`dataSourceName`"),
            new Pool("ucp", "oracle.ucp.jdbc.PoolDataSourceImpl", "ucp", "`connectionPoolName`"),
            new Pool("druid", "com.alibaba.druid.pool.DruidDataSource", "druid", "`name`"),
            new Pool("agroal", "io.agroal.pool.DataSource", "", "none"),
            new Pool("vibur", "org.vibur.dbcp.ViburDBCPDataSource", "vibur", "`name`"));

    private final OrderDatabases databases;
    private final Map<String, ShopDatabase> byKind = new LinkedHashMap<>();

    /** Creates a database per pool with a different number of orders in each. */
    public PoolMatrix(OrderDatabases databases) throws SQLException {
        this.databases = databases;
        int i = 0;
        for (Pool pool : POOLS) {
            ShopDatabase db = databases.create(pool.kind());
            OrderDatabases.fill(db, Map.of("NEW", i + 1, "PAID", i % 3, "SHIPPED", 2));
            byKind.put(pool.kind(), db);
            i++;
        }
    }

    ShopDatabase db(String kind) {
        return byKind.get(kind);
    }

    /** PoolsHost's arguments: user, password, then KIND=URL for each pool. */
    public List<String> hostArguments(String... extra) {
        List<String> args = new ArrayList<>(List.of("--user", databases.user(), "--password", databases.password()));
        args.addAll(List.of(extra));
        byKind.forEach((kind, db) -> args.add(kind + "=" + db.url()));
        return args;
    }

    public Path writeConfig(Path dir) throws IOException {
        StringBuilder text = new StringBuilder("defaults.interval=1s\ndatasource.main.match=auto\n");
        for (Pool pool : POOLS) {
            text.append("datasource.").append(pool.kind()).append(".match=").append(pool.selector()).append('\n')
                    .append("metric.orders_").append(pool.kind())
                    .append(".sql=SELECT status, COUNT(*) AS n FROM orders GROUP BY status\n")
                    .append("metric.orders_").append(pool.kind()).append(".datasource=").append(pool.kind()).append('\n');
        }
        Path config = dir.resolve("bizmetrics.properties");
        Files.writeString(config, text);
        return config;
    }

    /**
     * Waits until every pool's metric equals its database, then checks what the agent says about each pool, that
     * {@code auto} explains instead of binding, and that a change in one database shows.
     */
    public void verify(HostProcess host, int port) throws Exception {
        try {
            check(host, port);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nhost output:\n" + String.join("\n", host.output()), e);
        }
    }

    private void check(HostProcess host, int port) throws Exception {
        Map<String, Double> scrape = Scrape.until(port, this::allMatchTheirDatabase, Duration.ofSeconds(60));
        Map<String, Double> info = family(scrape, "bizmetrics_datasource_info");
        for (Pool pool : POOLS) {
            String url = db(pool.kind()).url();
            assertThat(info).as(pool.kind()).containsEntry("{class=\"" + pool.className() + "\",datasource=\""
                    + pool.kind() + "\",pool=\"" + pool.poolName() + "\",url=\"" + url + "\"}", 1.0);
            assertThat(scrape).containsEntry("bizmetrics_datasource_bound{datasource=\"" + pool.kind() + "\"}", 1.0);
            assertThat(family(scrape, "orders_" + pool.kind())).isNotEmpty();
        }
        assertThat(scrape).containsEntry("bizmetrics_datasource_bound{datasource=\"main\"}", 0.0);

        String explanation = host.awaitLine(line -> line.contains("datasource main not bound: " + POOLS.size()
                + " DataSources match datasource.main.match=auto; bound none. Pick one:"), Duration.ofSeconds(10));
        for (Pool pool : POOLS) {
            String simpleName = pool.className().substring(pool.className().lastIndexOf('.') + 1);
            assertThat(explanation).contains(" (" + simpleName + "@");
            if (!pool.poolName().isEmpty()) {
                assertThat(explanation).contains("datasource.main.match=pool:" + pool.poolName() + " (" + simpleName);
            }
        }
        assertThat(explanation.split("datasource.main.match=url:", -1)).hasSize(1 + (int) POOLS.stream()
                .filter(p -> p.poolName().isEmpty()).count());

        db("druid").insertOrders(4, "RETURNED", "us");
        scrape = Scrape.until(port, m -> family(m, "orders_druid").containsKey("{status=\"RETURNED\"}")
                && allMatchTheirDatabase(m), Duration.ofSeconds(20));
        assertThat(family(scrape, "orders_druid")).containsEntry("{status=\"RETURNED\"}", 4.0);
        assertThat(host.output()).noneMatch(line -> line.startsWith("[bizmetrics] error"));
    }

    private boolean allMatchTheirDatabase(Map<String, Double> scrape) {
        try {
            for (Pool pool : POOLS) {
                if (!sorted(family(scrape, "orders_" + pool.kind()))
                        .equals(db(pool.kind()).byLabel("status", OrderDatabases.BY_STATUS))) {
                    return false;
                }
            }
            return true;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
