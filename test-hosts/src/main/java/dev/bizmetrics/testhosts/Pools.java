package dev.bizmetrics.testhosts;

import com.alibaba.druid.pool.DruidDataSource;
import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariDataSource;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalPropertiesReader;
import oracle.ucp.jdbc.PoolDataSource;
import oracle.ucp.jdbc.PoolDataSourceFactory;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.commons.dbcp2.managed.BasicManagedDataSource;
import org.vibur.dbcp.ViburDBCPDataSource;

import javax.sql.DataSource;
import javax.transaction.Status;
import javax.transaction.TransactionManager;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Properties;

/**
 * Every pool the agent recognises, configured the plain way an application would, and not started: none of them
 * opens a connection until something asks it for one, except Vibur, which serves connections only once started and
 * opens its one initial connection then. The pools that have a name are named after their kind.
 */
public final class Pools {

    /** The kinds, as accepted by {@link #create}; each is also a valid datasource and metric name part. */
    public static final List<String> KINDS = List.of("hikari", "tomcat_jdbc", "dbcp2", "dbcp2_managed", "tomcat_dbcp",
            "c3p0", "ucp", "druid", "agroal", "vibur");

    private Pools() {
    }

    public static DataSource create(String kind, String url, String user, String password) throws Exception {
        switch (kind) {
            case "hikari": {
                HikariDataSource pool = new HikariDataSource();
                pool.setPoolName("hikari");
                pool.setJdbcUrl(url);
                pool.setUsername(user);
                pool.setPassword(password);
                pool.setMaximumPoolSize(3);
                return pool;
            }
            case "tomcat_jdbc": {
                org.apache.tomcat.jdbc.pool.DataSource pool = new org.apache.tomcat.jdbc.pool.DataSource();
                pool.setName("tomcat_jdbc");
                pool.setDriverClassName(driverClass(url));
                pool.setUrl(url);
                pool.setUsername(user);
                pool.setPassword(password);
                pool.setInitialSize(0);
                pool.setMaxActive(3);
                return pool;
            }
            case "dbcp2": {
                BasicDataSource pool = new BasicDataSource();
                pool.setUrl(url);
                pool.setUsername(user);
                pool.setPassword(password);
                pool.setMaxTotal(3);
                return pool;
            }
            case "dbcp2_managed": {
                BasicManagedDataSource pool = new BasicManagedDataSource();
                pool.setTransactionManager(noTransactions());
                pool.setUrl(url);
                pool.setUsername(user);
                pool.setPassword(password);
                pool.setMaxTotal(3);
                return pool;
            }
            case "tomcat_dbcp": {
                org.apache.tomcat.dbcp.dbcp2.BasicDataSource pool = new org.apache.tomcat.dbcp.dbcp2.BasicDataSource();
                pool.setUrl(url);
                pool.setUsername(user);
                pool.setPassword(password);
                pool.setMaxTotal(3);
                return pool;
            }
            case "c3p0": {
                ComboPooledDataSource pool = new ComboPooledDataSource();
                pool.setDataSourceName("c3p0");
                pool.setJdbcUrl(url);
                pool.setUser(user);
                pool.setPassword(password);
                pool.setInitialPoolSize(1);
                pool.setMinPoolSize(1);
                pool.setMaxPoolSize(3);
                return pool;
            }
            case "ucp": {
                // UCP pools any driver's DataSource or Driver: here H2's JdbcDataSource or PostgreSQL's Driver (its
                // PGSimpleDataSource, configured by UCP, loses the URL's currentSchema), no Oracle server needed.
                PoolDataSource pool = PoolDataSourceFactory.getPoolDataSource();
                pool.setConnectionPoolName("ucp");
                pool.setConnectionFactoryClassName(url.startsWith("jdbc:h2:") ? "org.h2.jdbcx.JdbcDataSource"
                        : "org.postgresql.Driver");
                pool.setURL(url);
                pool.setUser(user);
                pool.setPassword(password);
                pool.setInitialPoolSize(0);
                pool.setMaxPoolSize(3);
                return pool;
            }
            case "druid": {
                DruidDataSource pool = new DruidDataSource();
                pool.setName("druid");
                pool.setUrl(url);
                pool.setUsername(user);
                pool.setPassword(password);
                pool.setMaxActive(3);
                return pool;
            }
            case "agroal": {
                Properties properties = new Properties();
                properties.setProperty(AgroalPropertiesReader.JDBC_URL, url);
                properties.setProperty(AgroalPropertiesReader.PRINCIPAL, user);
                properties.setProperty(AgroalPropertiesReader.CREDENTIAL, password);
                properties.setProperty(AgroalPropertiesReader.MAX_SIZE, "3");
                return AgroalDataSource.from(new AgroalPropertiesReader().readProperties(properties).get());
            }
            case "vibur": {
                ViburDBCPDataSource pool = new ViburDBCPDataSource();
                pool.setName("vibur");
                pool.setJdbcUrl(url);
                pool.setUsername(user);
                pool.setPassword(password);
                pool.setPoolInitialSize(1);
                pool.setPoolMaxSize(3);
                pool.start(); // Vibur serves connections only once started
                return pool;
            }
            default:
                throw new IllegalArgumentException("unknown pool kind " + kind + "; one of " + KINDS);
        }
    }

    static String driverClass(String url) {
        return url.startsWith("jdbc:h2:") ? "org.h2.Driver"
                : url.startsWith("jdbc:mariadb:") ? "org.mariadb.jdbc.Driver" : "org.postgresql.Driver";
    }

    /** A transaction manager with never a transaction, enough for DBCP2's managed pool outside a JTA server. */
    private static TransactionManager noTransactions() {
        return (TransactionManager) Proxy.newProxyInstance(Pools.class.getClassLoader(),
                new Class<?>[] {TransactionManager.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getTransaction" -> null;
                    case "getStatus" -> Status.STATUS_NO_TRANSACTION;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "NoTransactionManager";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Asks the pool for a connection and runs {@code SELECT 1} on it, as an application using it would. */
    public static void use(DataSource pool) throws Exception {
        try (var connection = pool.getConnection(); var statement = connection.createStatement();
             var rs = statement.executeQuery("SELECT 1")) {
            rs.next();
        }
    }
}
