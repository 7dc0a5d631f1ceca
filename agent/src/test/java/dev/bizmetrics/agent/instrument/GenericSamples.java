package dev.bizmetrics.agent.instrument;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** Class shapes for {@link GenericMatcherTest}; they are never instantiated. */
final class GenericSamples {

    private GenericSamples() {
    }

    /** The DataSource methods, in a base that is not a DataSource. */
    abstract static class Methods {
        public Connection getConnection() throws SQLException {
            throw new SQLException("sample");
        }

        public Connection getConnection(String user, String password) throws SQLException {
            throw new SQLException("sample");
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

        public Logger getParentLogger() {
            return null;
        }

        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("sample");
        }

        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    static class Direct extends Methods implements DataSource, Runnable {
        @Override
        public void run() {
        }
    }

    static class ViaSuperclass extends Direct {
    }

    interface OwnApi extends Runnable, DataSource {
    }

    interface DeeperApi extends OwnApi {
    }

    static class ViaOwnInterface extends Methods implements DeeperApi {
        @Override
        public void run() {
        }
    }

    static class Unrelated implements Runnable {
        @Override
        public void run() {
        }
    }
}
