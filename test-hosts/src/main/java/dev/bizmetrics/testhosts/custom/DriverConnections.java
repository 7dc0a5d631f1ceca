package dev.bizmetrics.testhosts.custom;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/** The DataSource methods of the in-house DataSources below, in a base class that is not a DataSource itself. */
public abstract class DriverConnections {

    private final String name;
    private final String url;

    protected DriverConnections(String name, String url) {
        this.name = name;
        this.url = url;
    }

    public String getPoolName() {
        return name;
    }

    public String getUrl() {
        return url;
    }

    public Connection getConnection() throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }

    public Connection getConnection(String username, String password) throws SQLException {
        return DriverManager.getConnection(url, username, password);
    }

    public PrintWriter getLogWriter() {
        return null;
    }

    public void setLogWriter(PrintWriter out) {
    }

    public void setLoginTimeout(int seconds) {
    }

    public int getLoginTimeout() {
        return 0;
    }

    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface);
    }

    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
