package dev.bizmetrics.agent.fleet;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static org.assertj.core.api.Assertions.assertThat;

/** Lock keys and names: derived from (fleet, datasource) only, within each database's limits, never needing escapes. */
class FleetLockNamesTest {

    @Test
    void postgresKeyIsTheFirstEightBytesOfTheIdentitysSha256() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest("bizmetrics fleet|shop|main".getBytes(StandardCharsets.UTF_8));
        assertThat(PostgresFleetLock.key("shop", "main")).isEqualTo(ByteBuffer.wrap(digest).getLong());
        assertThat(new PostgresFleetLock("shop", "main").key())
                .isEqualTo("pg_advisory_lock(" + ByteBuffer.wrap(digest).getLong() + ")");
        assertThat(PostgresFleetLock.key("shop", "main")).isNotEqualTo(PostgresFleetLock.key("shop", "reports"))
                .isNotEqualTo(PostgresFleetLock.key("sho", "pmain"));
    }

    @Test
    void mysqlNameIsReadableWhenItFits() {
        assertThat(MySqlFleetLock.name("shop", "main")).isEqualTo("bizmetrics.shop.main");
        assertThat(new MySqlFleetLock("shop", "main").key()).isEqualTo("GET_LOCK('bizmetrics.shop.main')");
        String longest = "f".repeat(30) + "." + "d".repeat(22);
        assertThat(MySqlFleetLock.name("f".repeat(30), "d".repeat(22))).isEqualTo("bizmetrics." + longest).hasSize(64);
    }

    @Test
    void mysqlNameIsADigestWhenTooLongOrNotPlain() {
        String tooLong = MySqlFleetLock.name("f".repeat(30), "d".repeat(23));
        assertThat(tooLong).hasSize(63).matches("bizmetrics\\.[0-9a-f]{52}");
        assertThat(MySqlFleetLock.name("f".repeat(30), "e".repeat(23))).isNotEqualTo(tooLong);
        for (String hostile : new String[] {"x'); DO RELEASE_ALL_LOCKS(); --", "a\\", "a.b", "", "é"}) {
            assertThat(MySqlFleetLock.name(hostile, "main")).matches("bizmetrics\\.[0-9a-f]{52}");
            assertThat(MySqlFleetLock.name("shop", hostile)).matches("bizmetrics\\.[0-9a-f]{52}");
        }
        // "a.b"+"c" and "a"+"b.c" would read the same; as digests of distinct identities they differ.
        assertThat(MySqlFleetLock.name("a.b", "c")).isNotEqualTo(MySqlFleetLock.name("a", "b.c"));
    }
}
