package dev.bizmetrics.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentArgumentsTest {

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "\t"})
    void nothingGivenMeansNoPathAndNoOverrides(String text) {
        AgentArguments args = AgentArguments.parse(text);
        assertThat(args.configPath()).isNull();
        assertThat(args.overrides()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/x.properties", "bizmetrics.properties", "conf/shop.properties",
            "C:\\shop\\bizmetrics.properties", "/tmp/a=b.properties", "./a=b.properties", "/etc/a,b.properties"})
    void aPathIsAPath(String path) {
        AgentArguments args = AgentArguments.parse(path);
        assertThat(args.configPath()).isEqualTo(path);
        assertThat(args.overrides()).isEmpty();
    }

    @Test
    void pathIsTrimmed() {
        assertThat(AgentArguments.parse("  /etc/x.properties ").configPath()).isEqualTo("/etc/x.properties");
    }

    @Test
    void configAndOverrides() {
        AgentArguments args = AgentArguments.parse("config=/etc/x.properties,http.port=9999");
        assertThat(args.configPath()).isEqualTo("/etc/x.properties");
        assertThat(args.overrides()).containsExactly(entry("http.port", "9999"));
    }

    @Test
    void overridesKeepTheirOrderAndTrimAndSkipEmptyParts() {
        AgentArguments args = AgentArguments.parse(
                " http.port = 9999 ,, log.level=debug, config = /etc/a=b.properties ,metric.x.help=a=b,");
        assertThat(args.configPath()).isEqualTo("/etc/a=b.properties");
        assertThat(args.overrides()).containsExactly(
                entry("http.port", "9999"), entry("log.level", "debug"), entry("metric.x.help", "a=b"));
    }

    @Test
    void overrideOnly() {
        AgentArguments args = AgentArguments.parse("http.port=9999");
        assertThat(args.configPath()).isNull();
        assertThat(args.overrides()).containsExactly(entry("http.port", "9999"));
    }

    @Test
    void overrideWithEmptyValue() {
        assertThat(AgentArguments.parse("http.host=").overrides()).containsExactly(entry("http.host", ""));
    }

    @Test
    void overridesAreUnmodifiable() {
        assertThatThrownBy(() -> AgentArguments.parse("http.port=1").overrides().put("a", "b"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keyGivenTwiceIsAnError() {
        assertThatThrownBy(() -> AgentArguments.parse("http.port=1,log.level=info,http.port=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("agent argument 'http.port' is given twice; keep one");
    }

    @Test
    void configGivenTwiceIsAnError() {
        assertThatThrownBy(() -> AgentArguments.parse("config=/a.properties,config=/b.properties"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("agent argument 'config' is given twice; keep one");
    }

    @ParameterizedTest
    @ValueSource(strings = {"config=", "config=  ", "http.port=1,config="})
    void emptyConfigIsAnError(String text) {
        assertThatThrownBy(() -> AgentArguments.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("agent argument config= needs a file path");
    }

    @Test
    void partWithoutKeyValueIsAnError() {
        assertThatThrownBy(() -> AgentArguments.parse("config=/etc/x.properties,verbose"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("agent argument 'verbose' is not key=value; "
                        + "write -javaagent:bizmetrics-agent.jar=config=PATH,key=value,...");
        assertThatThrownBy(() -> AgentArguments.parse("http.port=1,=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("agent argument '=2' is not key=value; "
                        + "write -javaagent:bizmetrics-agent.jar=config=PATH,key=value,...");
    }

    @Test
    void keyThatIsNoConfigurationKeyIsAnError() {
        assertThatThrownBy(() -> AgentArguments.parse("http.port=1,a/b=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("agent argument key 'a/b' is not a configuration key");
    }
}
