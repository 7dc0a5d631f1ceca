package dev.bizmetrics.agent.it.support;

import org.h2.tools.Server;

import java.sql.SQLException;
import java.util.UUID;

/**
 * One H2 TCP server in the test JVM for the whole run: a host JVM started by a test and the test itself reach the
 * same in-memory database through it, so the test can check the host's metrics against the rows.
 */
public final class H2Tcp {

    private static Server server;

    private H2Tcp() {
    }

    /** The URL of a new, empty in-memory database, e.g. {@code jdbc:h2:tcp://127.0.0.1:PORT/mem:shop_...}. */
    public static String newDatabase(String prefix) {
        return url(prefix + "_" + UUID.randomUUID().toString().replace("-", ""));
    }

    /** The URL of the in-memory database of this name; names are global to the test JVM, so keep them unique. */
    public static synchronized String url(String name) {
        if (server == null) {
            try {
                server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot start the H2 TCP server", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/mem:" + name + ";DB_CLOSE_DELAY=-1";
    }
}
