package dev.bizmetrics.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PropertiesFileTest {

    private final List<Problem> problems = new ArrayList<>();

    private List<Setting> parse(String... lines) {
        return PropertiesFile.parse(String.join("\n", lines), "bizmetrics.properties", problems);
    }

    private String value(String key, String... lines) {
        return parse(lines).stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no key " + key)).value();
    }

    @Test
    void separatorsEqualsColonAndWhitespace() {
        assertThat(parse("a=1", "b: 2", "c 3", "d = 4", "e\t:\t5", "f   =   six seven"))
                .extracting(Setting::key, Setting::value, Setting::origin)
                .containsExactly(
                        tuple("a", "1", "bizmetrics.properties:1"),
                        tuple("b", "2", "bizmetrics.properties:2"),
                        tuple("c", "3", "bizmetrics.properties:3"),
                        tuple("d", "4", "bizmetrics.properties:4"),
                        tuple("e", "5", "bizmetrics.properties:5"),
                        tuple("f", "six seven", "bizmetrics.properties:6"));
        assertThat(problems).isEmpty();
    }

    @Test
    void onlyTheFirstSeparatorSplits() {
        assertThat(value("metric.x.const-labels", "metric.x.const-labels=team=checkout,tier=gold"))
                .isEqualTo("team=checkout,tier=gold");
        assertThat(value("url", "url: jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
    }

    @Test
    void keyWithoutValueIsEmpty() {
        assertThat(value("http.host", "http.host")).isEmpty();
        assertThat(value("http.host", "http.host=")).isEmpty();
    }

    @Test
    void commentsAndBlankLinesAreSkippedButCounted() {
        List<Setting> settings = parse(
                "# a comment",
                "! another comment",
                "",
                "   # indented comment",
                "   ",
                "http.port=1",
                "\t!indented bang",
                "log.level=debug");
        assertThat(settings).extracting(Setting::key, Setting::origin).containsExactly(
                tuple("http.port", "bizmetrics.properties:6"),
                tuple("log.level", "bizmetrics.properties:8"));
    }

    @Test
    void indentedKeyIsRead() {
        assertThat(parse("    http.port = 1")).extracting(Setting::key, Setting::value)
                .containsExactly(tuple("http.port", "1"));
    }

    @Test
    void continuationLinesJoinAndStripLeadingWhitespace() {
        List<Setting> settings = parse(
                "metric.x.sql=SELECT status, \\",
                "    COUNT(*) AS n \\",
                "    FROM orders",
                "metric.x.help=after");
        assertThat(settings).extracting(Setting::key, Setting::value, Setting::origin).containsExactly(
                tuple("metric.x.sql", "SELECT status, COUNT(*) AS n FROM orders", "bizmetrics.properties:1"),
                tuple("metric.x.help", "after", "bizmetrics.properties:4"));
    }

    @Test
    void lineNumbersAfterSeveralContinuationsStayExact() {
        List<Setting> settings = parse(
                "# header",
                "a=1 \\",
                "  2 \\",
                "  3",
                "",
                "b=x\\",
                "y",
                "c=z");
        assertThat(settings).extracting(Setting::key, Setting::value, Setting::origin).containsExactly(
                tuple("a", "1 2 3", "bizmetrics.properties:2"),
                tuple("b", "xy", "bizmetrics.properties:6"),
                tuple("c", "z", "bizmetrics.properties:8"));
    }

    @Test
    void commentCharacterOnContinuationLineIsContent() {
        assertThat(value("a", "a=x\\", "  #not a comment")).isEqualTo("x#not a comment");
    }

    @Test
    void evenNumberOfBackslashesIsNoContinuation() {
        List<Setting> settings = parse("a=x\\\\", "b=y");
        assertThat(settings).extracting(Setting::key, Setting::value)
                .containsExactly(tuple("a", "x\\"), tuple("b", "y"));
    }

    @Test
    void continuationOnLastLineEnds() {
        assertThat(value("a", "a=x\\")).isEqualTo("x");
    }

    @Test
    void crlfAndCrLineEndings() {
        List<Setting> settings = PropertiesFile.parse("a=1\r\nb=2\rc=3\n", "f.properties", problems);
        assertThat(settings).extracting(Setting::key, Setting::value, Setting::origin).containsExactly(
                tuple("a", "1", "f.properties:1"),
                tuple("b", "2", "f.properties:2"),
                tuple("c", "3", "f.properties:3"));
    }

    @Test
    void unicodeEscapesInValuesAndKeys() {
        assertThat(value("metric.x.help", "metric.x.help=caf\\u00e9 \\u5BA2\\u6237")).isEqualTo("café 客户");
        assertThat(value("metric.x.help", "metric.x.help=\\u00e9")).isEqualTo("é");
        assertThat(parse("h\\u0074tp.port=1")).extracting(Setting::key).containsExactly("http.port");
    }

    @Test
    void otherEscapes() {
        assertThat(value("a", "a=tab\\there\\nnew\\\\back")).isEqualTo("tab\there\nnew\\back");
        assertThat(value("a", "a=x\\=y\\:z")).isEqualTo("x=y:z");
    }

    @Test
    void escapedSeparatorBelongsToTheKey() {
        assertThat(parse("a\\=b=c", "d\\ e f")).extracting(Setting::key, Setting::value)
                .containsExactly(tuple("a=b", "c"), tuple("d e", "f"));
    }

    @Test
    void inlineCommentAfterWhitespaceIsStripped() {
        assertThat(value("http.port", "http.port=30313                 # default 30313; 0 picks a free port"))
                .isEqualTo("30313");
        assertThat(value("log.level", "log.level=info\t# tab before")).isEqualTo("info");
    }

    @Test
    void hashWithoutWhitespaceBeforeIsKept() {
        assertThat(value("metric.x.help", "metric.x.help=order#1")).isEqualTo("order#1");
        assertThat(value("a", "a=#first")).isEqualTo("#first");
    }

    @Test
    void escapedHashIsALiteralHash() {
        assertThat(value("metric.x.help", "metric.x.help=Orders \\# per status  # the comment"))
                .isEqualTo("Orders # per status");
        assertThat(value("http.auth.password", "http.auth.password=se \\#cret")).isEqualTo("se #cret");
    }

    @Test
    void valueIsTrimmed() {
        assertThat(value("a", "a =   spaced out   ")).isEqualTo("spaced out");
    }

    @Test
    void keyGivenTwiceIsAProblemNamingBothLines() {
        List<Setting> settings = parse("http.port=1", "log.level=info", "http.port=2");
        assertThat(settings).extracting(Setting::key, Setting::value)
                .containsExactly(tuple("http.port", "1"), tuple("log.level", "info"));
        assertThat(problems).extracting(Problem::toString).containsExactly(
                "bizmetrics.properties:3: http.port: given twice (also at bizmetrics.properties:1); keep one");
    }

    @Test
    void keyGivenThreeTimesIsTwoProblems() {
        parse("a=1", "a=2", "a=3");
        assertThat(problems).extracting(Problem::toString).containsExactly(
                "bizmetrics.properties:2: a: given twice (also at bizmetrics.properties:1); keep one",
                "bizmetrics.properties:3: a: given twice (also at bizmetrics.properties:1); keep one");
    }

    @Test
    void emptyText() {
        assertThat(PropertiesFile.parse("", "f", problems)).isEmpty();
        assertThat(problems).isEmpty();
    }
}
