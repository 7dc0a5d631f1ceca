package dev.bizmetrics.agent.config;

import static dev.bizmetrics.agent.config.ConfigFixture.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration file and its values as an attacker or a careless operator would give them: huge, not a file,
 * with secrets in the wrong keys, with a misspelt {@code http.*} key.
 */
class HostileConfigTest {

    @TempDir
    Path dir;

    private ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(dir);
    }

    // ---- the file ----

    @Test
    void aFileOverOneMebibyteIsRefusedUnread() throws Exception {
        Path file = dir.resolve("big.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("http.port=1234\n".getBytes(StandardCharsets.UTF_8));
            byte[] line = new byte[1024];
            Arrays.fill(line, (byte) '#');
            line[line.length - 1] = '\n';
            for (int i = 0; i < 1024; i++) {
                out.write(line);
            }
        }
        LoadedConfig loaded = fx.load(file);
        assertThat(loaded.isReadable()).isFalse();
        assertThat(loaded.http()).isNull();
        assertThat(problems(loaded)).singleElement().asString()
                .contains("cannot read the configuration (it is 1048591 bytes, more than the 1 MiB a configuration "
                        + "may have; is it the right file?");
    }

    @Test
    void aFileOfExactlyOneMebibyteIsRead() throws Exception {
        Path file = dir.resolve("full.properties");
        byte[] text = new byte[ConfigFile.MAX_BYTES];
        Arrays.fill(text, (byte) '#');
        byte[] head = "http.port=1234\n".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, text, 0, head.length);
        Files.write(file, text);
        assertThat(fx.load(file).config().http().port()).isEqualTo(1234);
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("fifo.properties");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        LoadedConfig loaded = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fx.load(fifo));
        assertThat(loaded.isReadable()).isFalse();
        assertThat(problems(loaded)).singleElement().asString()
                .contains("cannot read the configuration (it is not a regular file, but a FIFO, socket or device");
    }

    @Test
    void aSymbolicLinkToARegularFileIsRead() throws Exception {
        // Kubernetes mounts a ConfigMap's files as symbolic links.
        Path target = fx.write("http.port=4444");
        Path link = dir.resolve("link.properties");
        Files.createSymbolicLink(link, target);
        assertThat(fx.load(link).config().http().port()).isEqualTo(4444);
    }

    // ---- the port's settings apart from the rest ----

    @Test
    void aMistakeInAQueryKeepsThePortSettings() {
        LoadedConfig loaded = fx.load("http.host=127.0.0.1", "http.port=4321", "http.auth.username=prometheus",
                "http.auth.password=s3cret", "metric.orders.sql=SELECT 1 AS n", "metric.orders.lables=x");
        assertThat(loaded.isValid()).isFalse();
        assertThat(loaded.http()).isNotNull();
        assertThat(loaded.http().host()).isEqualTo("127.0.0.1");
        assertThat(loaded.http().port()).isEqualTo(4321);
        assertThat(loaded.http().username()).isEqualTo("prometheus");
    }

    @Test
    void aMisspeltHttpKeyLeavesNoPortSettings() {
        for (String typo : new String[] {"http.auht.username=prometheus", "htp.auth.username=prometheus",
            "HTTP.host=127.0.0.1", "http.tls.keystor=/etc/x.p12"}) {
            LoadedConfig loaded = fx.load("http.host=127.0.0.1", typo);
            assertThat(loaded.http()).as(typo).isNull();
            assertThat(loaded.problems()).as(typo).singleElement().matches(Problem::concernsHttp);
        }
    }

    @Test
    void aBadHttpValueLeavesNoPortSettings() {
        assertThat(fx.load("http.port=99999").http()).isNull();
        assertThat(fx.load("http.auth.username=p").http()).isNull();
        assertThat(fx.load("http.host=${NOT_SET_ANYWHERE}").http()).isNull();
    }

    @Test
    void anUnreadableFileLeavesNoPortSettings() {
        LoadedConfig loaded = ConfigLoader.load(new ConfigSource(dir.resolve("no").toString(), Map.of(),
                Map.of(), new Properties()));
        assertThat(loaded.http()).isNull();
    }

    // ---- placeholders and secrets ----

    @Test
    void aSecretInTheWrongKeyIsNamedNeverShown() {
        fx.env.put("DB_PASSWORD", "hunter2-very-secret");
        for (String line : new String[] {"http.port=${DB_PASSWORD}", "log.level=${DB_PASSWORD}",
            "defaults.interval=${DB_PASSWORD}", "allow-any-sql=${DB_PASSWORD}", "metric.m.sql=SELECT 1 AS n\n"
            + "metric.m.type=${DB_PASSWORD}", "metric.m.sql=SELECT 1 AS n\nmetric.m.const-labels=${DB_PASSWORD}",
            "metric.m.sql=SELECT 1 AS n\nmetric.m.labels=${DB_PASSWORD}", "datasource.main.match=${DB_PASSWORD}",
            "metric.m.query=${DB_PASSWORD}", "metric.m.sql=SELECT 1 AS n\nmetric.m.datasource=${DB_PASSWORD}",
            "http.tls.keystore=/etc/${DB_PASSWORD}.p12"}) {
            LoadedConfig loaded = fx.load(line.split("\n"));
            assertThat(loaded.problems()).as(line).isNotEmpty();
            assertThat(problems(loaded).toString()).as(line).doesNotContainIgnoringCase("hunter2")
                    .contains("${DB_PASSWORD}");
        }
        for (String sql : new String[] {"${DB_PASSWORD} 1 AS n", "SELECT 1 AS n; SELECT '${DB_PASSWORD}'",
            "SELECT '${DB_PASSWORD}' FROM t FOR UPDATE", "SELECT 1 AS n; DELETE FROM t WHERE x = '${DB_PASSWORD}'"}) {
            LoadedConfig loaded = fx.load("metric.m.sql=" + sql);
            assertThat(loaded.problems()).as(sql).isNotEmpty();
            assertThat(problems(loaded).toString()).as(sql).doesNotContainIgnoringCase("hunter2");
        }
    }

    @Test
    void theShownSqlKeepsItsPlaceholdersAndDriverMessagesAreRedacted() {
        fx.env.put("TENANT", "acme-corp");
        QuerySpec query = fx.valid("metric.m.sql=SELECT COUNT(*) AS n FROM orders WHERE tenant = '${TENANT}'")
                .queries().get(0);
        assertThat(query.sql()).isEqualTo("SELECT COUNT(*) AS n FROM orders WHERE tenant = 'acme-corp'");
        assertThat(query.shownSql()).isEqualTo("SELECT COUNT(*) AS n FROM orders WHERE tenant = '${TENANT}'");
        assertThat(query.redact("ERROR: relation \"acme-corp\" does not exist"))
                .isEqualTo("ERROR: relation \"${TENANT}\" does not exist");
    }

    @Test
    void aDefaultIsNoSecret() {
        QuerySpec query = fx.valid("metric.m.sql=SELECT ${LIMIT:42} AS n").queries().get(0);
        assertThat(query.sql()).isEqualTo("SELECT 42 AS n");
        assertThat(query.redact("42")).isEqualTo("42");
    }

    @Test
    void anUnterminatedPlaceholderIsAProblemNotALiteral() {
        for (String value : new String[] {"${PASSWORD", "${}", "abc${", "${A}${B"}) {
            fx.env.put("A", "x");
            LoadedConfig loaded = fx.load("http.auth.username=prometheus", "http.auth.password=" + value);
            assertThat(loaded.http()).as(value).isNull();
            assertThat(problems(loaded)).as(value).anyMatch(p -> p.contains("has a ${ without a name or a closing }"));
        }
    }
}
