package dev.bizmetrics.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Durations, KeySuggestions, MetricType and Problem on their own. */
class SmallPartsTest {

    @ParameterizedTest
    @CsvSource({"500ms,500", "15s,15000", "1m,60000", "2h,7200000", " 3s ,3000", "0s,0",
            "999999999h,3599999996400000", "10 seconds,-1", "1.5s,-1", "15,-1", "'',-1", "1d,-1", "1000000000ms,-1"})
    void parseDurations(String text, long millis) {
        assertThat(Durations.parseMillis(text)).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource({"500,500ms", "1500,1500ms", "15000,15s", "90000,90s", "60000,1m", "7200000,2h", "5400000,90m",
            "0,0s"})
    void formatDurations(long millis, String text) {
        assertThat(Durations.format(millis)).isEqualTo(text);
    }

    @Test
    void suggestions() {
        List<String> plain = List.of("http.port", "http.host", "log.level");
        Map<String, List<String>> groups = Map.of("metric", List.of("sql", "labels"), "query", List.of("sql"));
        assertThat(KeySuggestions.closest("htp.port", plain, groups)).isEqualTo("http.port");
        assertThat(KeySuggestions.closest("metric.x.lables", plain, groups)).isEqualTo("metric.x.labels");
        assertThat(KeySuggestions.closest("qeury.q.sql", plain, groups)).isEqualTo("query.q.sql");
        assertThat(KeySuggestions.closest("colour", plain, groups)).isNull();
        assertThat(KeySuggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(KeySuggestions.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void metricTypes() {
        assertThat(MetricType.parse(" Counter ")).isEqualTo(MetricType.COUNTER);
        assertThat(MetricType.parse("gauge2")).isNull();
        assertThat(MetricType.GAUGE.suffix()).isEmpty();
        assertThat(MetricType.COUNTER.suffix()).isEqualTo("_total");
        assertThat(MetricType.INFO.suffix()).isEqualTo("_info");
        assertThat(MetricType.INFO.configName()).isEqualTo("info");
    }

    @Test
    void problemText() {
        assertThat(new Problem("f:1", "a.b", "bad")).hasToString("f:1: a.b: bad");
        assertThat(new Problem("/etc/x", null, "unreadable")).hasToString("/etc/x: unreadable");
    }
}
