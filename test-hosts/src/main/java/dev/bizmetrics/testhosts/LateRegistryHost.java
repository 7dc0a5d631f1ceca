package dev.bizmetrics.testhosts;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * An application that uses its pool first and only later, when told ({@code serve} on stdin), loads its Prometheus
 * client (client_java 1.x, whose default registry is created then) and serves it:
 * <pre>LateRegistryHost JDBC_URL USER</pre>
 * Prints {@code late: pool up}, then {@code late: serving PORT}.
 */
public final class LateRegistryHost {

    private LateRegistryHost() {
    }

    public static void main(String[] args) throws Exception {
        DataSource pool = WrappedHost.pool("late", args[0], args[1]);
        Pools.use(pool);
        System.out.println("late: pool up");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        while (!"serve".equals(in.readLine())) {
            Pools.use(pool);
        }
        Counter.builder().name("late_requests_total").help("Requests the host served").register().inc();
        HTTPServer server = HTTPServer.builder().port(0).buildAndStart();
        System.out.println("late: serving " + server.getPort());
        while (true) {
            Pools.use(pool);
            Thread.sleep(500);
        }
    }
}
