package dev.bizmetrics.agent.it.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * {@code jdbc:faulty:<real url>}: the real driver, except that a query containing {@code boom} returns a result set
 * whose {@code next()} throws an unchecked exception — an unexpected failure inside the agent's engine, injected
 * from outside the agent.
 */
public final class FaultyDriver implements Driver {

    private static final String PREFIX = "jdbc:faulty:";

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Connection real = DriverManager.getConnection("jdbc:" + url.substring(PREFIX.length()), info);
        return proxy(Connection.class, real, (method, args) -> {
            Object result = method.invoke(real, args);
            return result instanceof Statement statement ? faulty(statement) : result;
        });
    }

    private static Statement faulty(Statement real) {
        return proxy(Statement.class, real, (method, args) -> {
            if (method.getName().equals("executeQuery") && String.valueOf(args[0]).contains("boom")) {
                ResultSet rs = (ResultSet) method.invoke(real, args);
                return proxy(ResultSet.class, rs, (m, a) -> {
                    if (m.getName().equals("next")) {
                        throw new IllegalStateException("injected failure");
                    }
                    return m.invoke(rs, a);
                });
            }
            return method.invoke(real, args);
        });
    }

    interface Call {
        Object invoke(java.lang.reflect.Method method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T real, Call call) {
        InvocationHandler handler = (p, method, args) -> {
            try {
                return call.invoke(method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(FaultyDriver.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
