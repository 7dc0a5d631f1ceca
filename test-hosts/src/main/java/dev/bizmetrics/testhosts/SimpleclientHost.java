package dev.bizmetrics.testhosts;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.exporter.HTTPServer;

import javax.sql.DataSource;
import java.net.InetSocketAddress;

/**
 * An application on the older Prometheus client (simpleclient 0.16) that serves its default registry itself with
 * {@code simpleclient_httpserver}, and has a counter of its own:
 * <pre>SimpleclientHost JDBC_URL [USER]</pre>
 * Prints {@code simpleclient: serving PORT}.
 */
public final class SimpleclientHost {

    private SimpleclientHost() {
    }

    public static void main(String[] args) throws Exception {
        Counter requests = Counter.build().name("host_requests_total").help("Requests the host served")
                .labelNames("path").register();
        HTTPServer server = new HTTPServer(new InetSocketAddress("127.0.0.1", 0), CollectorRegistry.defaultRegistry, true);
        System.out.println("simpleclient: serving " + server.getPort());
        DataSource pool = WrappedHost.pool("simpleclient", args[0], args.length > 1 ? args[1] : "sa");
        while (true) {
            Pools.use(pool);
            requests.labels("/orders").inc();
            Thread.sleep(500);
        }
    }
}
