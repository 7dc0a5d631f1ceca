package dev.bizmetrics.testhosts;

import dev.bizmetrics.testhosts.jndi.MapContextFactory;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import javax.sql.DataSource;

/**
 * An application with two pools, {@code orders} and {@code billing}, that publishes one of them in JNDI the way a
 * container does, a while after it started, and behind wrappers:
 * <pre>
 * java -Djava.naming.factory.initial=dev.bizmetrics.testhosts.jndi.MapContextFactory JndiHost ORDERS_URL BILLING_URL
 * </pre>
 * {@code java:comp/env/jdbc/billing} is bound after two seconds to a JDK proxy around Spring's
 * {@code TransactionAwareDataSourceProxy} around the billing pool.
 */
public final class JndiHost {

    private JndiHost() {
    }

    public static void main(String[] args) throws Exception {
        DataSource orders = WrappedHost.pool("orders", args[0]);
        DataSource billing = WrappedHost.pool("billing", args[1]);
        Pools.use(orders);
        Pools.use(billing);
        System.out.println("jndi: pools started");
        Thread.sleep(2000);
        MapContextFactory.bind("java:comp/env/jdbc/billing",
                WrappedHost.jdkProxy(new TransactionAwareDataSourceProxy(billing)));
        System.out.println("jndi: bound java:comp/env/jdbc/billing");
        while (true) {
            Thread.sleep(500);
            Pools.use(orders);
        }
    }
}
