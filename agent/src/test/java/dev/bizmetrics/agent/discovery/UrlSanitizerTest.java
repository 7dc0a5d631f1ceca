package dev.bizmetrics.agent.discovery;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class UrlSanitizerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db:5432/shop|jdbc:postgresql://db:5432/shop",
        "jdbc:postgresql://db:5432/shop?user=app&password=s3cret&ssl=true|jdbc:postgresql://db:5432/shop?ssl=true",
        "jdbc:postgresql://db/shop?ssl=true&password=s3cret|jdbc:postgresql://db/shop?ssl=true",
        "jdbc:mysql://app:s3cret@db:3306/shop|jdbc:mysql://db:3306/shop",
        "jdbc:mariadb://db:3306/shop?user=root&sslKey=/k.pem&useSSL=true|jdbc:mariadb://db:3306/shop?useSSL=true",
        "jdbc:oracle:thin:scott/tiger@db:1521/ORCL|jdbc:oracle:thin:@db:1521/ORCL",
        "jdbc:oracle:thin:@//db:1521/ORCL|jdbc:oracle:thin:@//db:1521/ORCL",
        "jdbc:h2:mem:shop;USER=sa;PASSWORD=s3cret;DB_CLOSE_DELAY=-1|jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1",
        "jdbc:sqlserver://db:1433;databaseName=shop;user=app;password=s3cret|jdbc:sqlserver://db:1433;databaseName=shop",
    })
    void removesUserAndPassword(String url, String expected) {
        assertThat(UrlSanitizer.sanitize(url)).isEqualTo(expected).doesNotContain("s3cret", "tiger");
    }
}
