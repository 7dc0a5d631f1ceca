package dev.bizmetrics.testhosts;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;

import javax.sql.DataSource;

import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * An application that ships its own Prometheus client and Byte Buddy, in other versions than the agent's, and
 * serves its own metric from the default registry on its own port:
 * <pre>OwnLibrariesHost JDBC_URL [USER]</pre>
 * Prints {@code own-libs: serving PORT} and {@code own-libs: byte-buddy says ...}.
 */
public final class OwnLibrariesHost {

    private OwnLibrariesHost() {
    }

    public static void main(String[] args) throws Exception {
        Counter requests = Counter.builder().name("host_requests_total").help("Requests the host served")
                .labelNames("path").register();
        HTTPServer server = HTTPServer.builder().port(0).buildAndStart();
        System.out.println("own-libs: serving " + server.getPort());

        Class<?> generated = new ByteBuddy().subclass(Object.class).method(named("toString"))
                .intercept(FixedValue.value("hello from the host's byte-buddy"))
                .make().load(OwnLibrariesHost.class.getClassLoader()).getLoaded();
        System.out.println("own-libs: byte-buddy says " + generated.getConstructor().newInstance());

        DataSource pool = WrappedHost.pool("own-libs", args[0], args.length > 1 ? args[1] : "sa");
        while (true) {
            Pools.use(pool);
            requests.labelValues("/orders").inc();
            Thread.sleep(500);
        }
    }
}
