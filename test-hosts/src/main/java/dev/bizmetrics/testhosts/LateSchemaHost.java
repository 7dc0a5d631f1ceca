package dev.bizmetrics.testhosts;

import com.zaxxer.hikari.HikariDataSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;

/**
 * An application on its first deployment: its pool is up and in use from the start, its tables come later, when a
 * migration runs (a line {@code migrate} on standard input, as Flyway or Liquibase would at some point of the
 * start). A line {@code drop} drops them again; a line {@code use} asks the pool for a connection, as a request
 * would (the host is idle otherwise).
 * <pre>LateSchemaHost JDBC_URL USER PASSWORD</pre>
 * Prints {@code late-schema: started}, then {@code late-schema: migrated at EPOCH_MILLIS} and
 * {@code late-schema: dropped}, {@code late-schema: used}.
 */
public final class LateSchemaHost {

    private LateSchemaHost() {
    }

    public static void main(String[] args) throws Exception {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("late");
        pool.setJdbcUrl(args[0]);
        pool.setUsername(args[1]);
        pool.setPassword(args[2]);
        pool.setMaximumPoolSize(3);
        Pools.use(pool);
        System.out.println("late-schema: started");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("use")) {
                Pools.use(pool);
                System.out.println("late-schema: used");
                continue;
            }
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                if (line.equals("migrate")) {
                    s.execute("CREATE TABLE orders (id INT PRIMARY KEY, status VARCHAR(20), amount NUMERIC(10,2))");
                    s.execute("INSERT INTO orders VALUES (1, 'NEW', 10.50), (2, 'NEW', 4.50), (3, 'PAID', 20.00)");
                    System.out.println("late-schema: migrated at " + System.currentTimeMillis());
                } else if (line.equals("drop")) {
                    s.execute("DROP TABLE orders");
                    System.out.println("late-schema: dropped");
                }
            }
        }
    }
}
