package dev.bizmetrics.testhosts;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * An application that only ever holds its pool behind a wrapper, and uses it through the wrapper:
 * <pre>WrappedHost spring|proxy JDBC_URL</pre>
 * {@code spring}: Spring's {@code TransactionAwareDataSourceProxy} around a {@code LazyConnectionDataSourceProxy}
 * around a HikariCP pool named {@code wrapped}; {@code proxy}: a JDK dynamic proxy around the pool.
 */
public final class WrappedHost {

    private WrappedHost() {
    }

    public static void main(String[] args) throws Exception {
        DataSource app = wrap(args[0], pool("wrapped", args[1]));
        Pools.use(app);
        System.out.println("wrapped: started with " + app.getClass().getName());
        while (true) {
            Thread.sleep(500);
            Pools.use(app);
        }
    }

    static HikariDataSource pool(String name, String url) {
        return pool(name, url, "sa");
    }

    static HikariDataSource pool(String name, String url, String user) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword("");
        config.setMaximumPoolSize(3);
        return new HikariDataSource(config);
    }

    static DataSource wrap(String how, DataSource pool) {
        switch (how) {
            case "spring":
                return new TransactionAwareDataSourceProxy(new LazyConnectionDataSourceProxy(pool));
            case "proxy":
                return jdkProxy(pool);
            default:
                throw new IllegalArgumentException("spring or proxy, not " + how);
        }
    }

    /** A JDK dynamic proxy that passes every call to the DataSource, as monitoring and tracing libraries do. */
    static DataSource jdkProxy(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(WrappedHost.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, methodArgs) -> {
                    try {
                        return method.invoke(target, methodArgs);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
