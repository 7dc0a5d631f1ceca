package dev.bizmetrics.agent.log;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LogTest {

    @Test
    void theStampIsUtcToTheMillisecondAsJavaTimeWritesIt() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long millis = (long) (random.nextDouble() * 8_000_000_000_000L) - 1_000_000_000_000L;
            String expected = Instant.ofEpochMilli(millis).toString();
            if (millis % 1000 == 0) {
                expected = expected.replace("Z", ".000Z");
            }
            assertThat(Log.stamp(millis)).as("%d", millis).isEqualTo(expected);
        }
        assertThat(Log.stamp(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(Log.stamp(951_782_400_000L)).isEqualTo("2000-02-29T00:00:00.000Z");
    }

    @Test
    void theHttpDateIsImfFixdate() {
        java.time.format.DateTimeFormatter rfc = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME;
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            long millis = (long) (random.nextDouble() * 4_000_000_000_000L);
            String expected = rfc.format(Instant.ofEpochMilli(millis).atZone(java.time.ZoneOffset.UTC));
            // RFC 1123 as java.time writes it drops the leading zero of the day; IMF-fixdate keeps two digits.
            expected = expected.replaceFirst(", (\\d) ", ", 0$1 ");
            assertThat(UtcTime.http(millis)).as("%d", millis).isEqualTo(expected);
        }
    }

    @Test
    void aMessageIsOneLineWithThePrefixTheStampAndTheLevel() {
        assertThat(Log.line("2026-12-01T19:46:40.123Z", Log.Level.WARN,
                "query q error: PSQLException: ERROR: syntax error\n  Position: 8\r\nHint: x"))
                .isEqualTo("[bizmetrics] 2026-12-01T19:46:40.123Z warn query q error: PSQLException: ERROR: syntax "
                        + "error\\n  Position: 8\\nHint: x");
        assertThat(Log.oneLine("plain")).isEqualTo("plain");
    }
}
