package dev.bizmetrics.bootstrap;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DataSourceRegistryTest {

    /** The bootstrap jar holds this one class file: a nested or anonymous class would not be found there. */
    @Test
    void theRegistryIsOneClassFileAlone() throws Exception {
        assertThat(DataSourceRegistry.class.getDeclaredClasses()).isEmpty();
        try (InputStream in = DataSourceRegistry.class.getResourceAsStream("DataSourceRegistry.class")) {
            String classFile = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(classFile).doesNotContain("DataSourceRegistry$").doesNotContain("LambdaMetafactory");
        }
    }

    @Test
    void anInstanceIsSeenOnceAndItsFirstUseChangesTheVersion() {
        Object pool = new Object();
        int before = DataSourceRegistry.version();
        DataSourceRegistry.created(pool);
        DataSourceRegistry.created(pool);
        assertThat(DataSourceRegistry.version() - before).isEqualTo(1);
        assertThat(DataSourceRegistry.isUsed(pool)).isFalse();
        DataSourceRegistry.used(pool);
        DataSourceRegistry.used(pool);
        assertThat(DataSourceRegistry.version() - before).isEqualTo(2);
        assertThat(DataSourceRegistry.isUsed(pool)).isTrue();
        assertThat(DataSourceRegistry.snapshot()).containsOnlyOnce(pool);

        Object usedFirst = new Object();
        DataSourceRegistry.used(usedFirst);
        assertThat(DataSourceRegistry.isUsed(usedFirst)).isTrue();
        assertThat(DataSourceRegistry.version() - before).isEqualTo(3);
    }
}
