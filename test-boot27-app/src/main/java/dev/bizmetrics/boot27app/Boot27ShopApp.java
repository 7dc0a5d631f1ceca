package dev.bizmetrics.boot27app;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Spring Boot 2.7 service (Micrometer on the simpleclient) on {@code spring-boot-starter-jdbc}, with Actuator and Micrometer's Prometheus registry on
 * a web port of its own ({@code /actuator/prometheus}, with Micrometer's {@code hikaricp_*}): Boot builds the HikariCP
 * pool from {@code spring.datasource.*}; the application counts its orders once at start and then keeps running.
 * <pre>java -jar test-boot27-app.jar --spring.datasource.url=JDBC_URL --spring.datasource.username=USER</pre>
 */
@SpringBootApplication
public class Boot27ShopApp {

    public static void main(String[] args) {
        SpringApplication.run(Boot27ShopApp.class, args);
    }

    @Bean
    CommandLineRunner countOrders(JdbcTemplate jdbc) {
        return args -> System.out.println("boot: started with "
                + jdbc.queryForObject("SELECT COUNT(*) FROM orders", Long.class) + " orders");
    }
}
