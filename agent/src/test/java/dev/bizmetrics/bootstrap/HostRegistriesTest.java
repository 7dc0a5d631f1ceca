package dev.bizmetrics.bootstrap;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class HostRegistriesTest {

    /** The bootstrap jar holds this one class file: a nested or anonymous class would not be found there. */
    @Test
    void isOneClassFileAlone() throws Exception {
        assertThat(HostRegistries.class.getDeclaredClasses()).isEmpty();
        try (InputStream in = HostRegistries.class.getResourceAsStream("HostRegistries.class")) {
            String classFile = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(classFile).doesNotContain("HostRegistries$").doesNotContain("LambdaMetafactory");
        }
    }

    @Test
    void aRegistryIsSeenOnceAndWhatIsPublishedIsWhatTheAdaptersRead() {
        Object registry = new Object();
        int before = HostRegistries.version();
        HostRegistries.created(registry);
        HostRegistries.created(registry);
        HostRegistries.created(null);
        assertThat(HostRegistries.version() - before).isEqualTo(1);
        assertThat(HostRegistries.registries()).containsOnlyOnce(registry);

        Object[] families = {new Object[] {"gauge", "x", "help", new Object[0]}};
        HostRegistries.publish(families);
        assertThat(HostRegistries.families()).isSameAs(families);
    }
}
