package dev.bizmetrics.agent.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code premain} reads {@code discovery.generic} through {@link ConfigSource} before the rest of the configuration;
 * the loader reads it through the same source, so the two agree on every file, however odd.
 */
class ConfigSourceTest {

    @TempDir
    Path dir;

    private ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(dir);
    }

    private String premainValue(Path file) {
        return new ConfigSource(file.toString(), fx.overrides, fx.env, fx.system).read().value("discovery.generic");
    }

    @Test
    void aKeyGivenTwiceIsAProblemAndBothReadTheFirst() {
        Path file = fx.write("discovery.generic=true", "discovery.generic=false");
        assertThat(premainValue(file)).isEqualTo("true");
        assertThat(ConfigFixture.problems(fx.load(file))).singleElement().asString().contains("given twice");
    }

    @Test
    void anEscapedHashIsNoComment() {
        Path file = fx.write("discovery.generic=true \\# not a comment");
        assertThat(premainValue(file)).isEqualTo("true # not a comment");
        assertThat(ConfigFixture.problems(fx.load(file))).singleElement().asString()
                .contains("'true # not a comment' is not true or false");
    }

    @Test
    void anUnsetPlaceholderIsAProblemForBoth() {
        Path file = fx.write("discovery.generic=${NO_SUCH_VARIABLE_HERE}");
        ConfigSource.Read read = new ConfigSource(file.toString(), Map.of(), fx.env, fx.system).read();
        assertThat(read.value("discovery.generic")).isEmpty();
        assertThat(read.problems).singleElement().extracting(Problem::message).asString()
                .startsWith("${NO_SUCH_VARIABLE_HERE} is not set");
        assertThat(fx.load(file).isValid()).isFalse();
    }

    @Test
    void precedenceIsTheSameForBoth() {
        Path file = fx.write("discovery.generic=false");
        fx.env.put("BIZMETRICS_DISCOVERY_GENERIC", "true");
        assertThat(premainValue(file)).isEqualTo("true");
        assertThat(fx.load(file).config().genericDiscovery()).isTrue();
        fx.system.setProperty("bizmetrics.discovery.generic", "false");
        assertThat(premainValue(file)).isEqualTo("false");
        assertThat(fx.load(file).config().genericDiscovery()).isFalse();
        fx.overrides.put("discovery.generic", "true");
        assertThat(premainValue(file)).isEqualTo("true");
        assertThat(fx.load(file).config().genericDiscovery()).isTrue();
    }

    @Test
    void aMissingFileGivesNoValueAndOneProblem() {
        ConfigSource.Read read = new ConfigSource(dir.resolve("none").toString(), Map.of(), Map.of(),
                new java.util.Properties()).read();
        assertThat(read.value("discovery.generic")).isNull();
        assertThat(read.readable).isFalse();
    }

    @Test
    void linesEndInAnyOfTheThreeWays() {
        assertThat(PropertiesFile.lines("a\r\nb\rc\nd")).containsExactly("a", "b", "c", "d");
        assertThat(PropertiesFile.lines("")).containsExactly("");
        assertThat(PropertiesFile.lines("a\n")).containsExactly("a", "");
    }
}
