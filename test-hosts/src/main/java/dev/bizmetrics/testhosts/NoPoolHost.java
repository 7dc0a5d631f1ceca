package dev.bizmetrics.testhosts;

import org.h2.jdbcx.JdbcDataSource;

/**
 * An application without a pool: it opens every connection through H2's own {@code JdbcDataSource}.
 * <pre>NoPoolHost JDBC_URL</pre>
 */
public final class NoPoolHost {

    private NoPoolHost() {
    }

    public static void main(String[] args) throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(args[0]);
        dataSource.setUser("sa");
        dataSource.setPassword("");
        Pools.use(dataSource);
        System.out.println("nopool: started");
        while (true) {
            Thread.sleep(500);
            Pools.use(dataSource);
        }
    }
}
