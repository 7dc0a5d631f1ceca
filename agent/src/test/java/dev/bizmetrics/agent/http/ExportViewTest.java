package dev.bizmetrics.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bizmetrics.agent.config.ConfigLoader;
import dev.bizmetrics.agent.state.AgentSnapshot;
import dev.bizmetrics.agent.state.ExportStatus;
import dev.bizmetrics.agent.testing.Configs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the status page says of export.host-registry: a pure function of the snapshot. */
class ExportViewTest {

    @TempDir
    Path dir;

    private AgentSnapshot snapshot() {
        Path file = Configs.write(dir, "export.host-registry=auto\nmetric.n.sql=SELECT 1 AS n\n");
        return AgentSnapshot.first("test", 0L, "by a test", ConfigLoader.load(Configs.source(file)), 0L);
    }

    @Test
    void offSaysNothingAndOnNamesTheRegistriesAndWhatWasLeftOut() {
        assertThat(StatusPage.render(snapshot())).doesNotContain("Application's registry");

        Map<String, Integer> none = new LinkedHashMap<>();
        none.put("micrometer", 0);
        String waiting = StatusPage.render(snapshot().withExport(new ExportStatus(true, none, Set.of(), 0)));
        assertThat(waiting).contains("export.host-registry=auto: <span class=\"muted\">no registry of the "
                + "application found yet").doesNotContain("id=\"attention\"");

        Map<String, Integer> found = new LinkedHashMap<>();
        found.put("micrometer", 2);
        found.put("client_java-default", 0);
        String page = StatusPage.render(snapshot().withExport(new ExportStatus(true, found,
                Set.of("hikaricp_connections_max"), 0)));
        assertThat(page).contains("export.host-registry=auto: published into 2 micrometer</p>")
                .contains("<span class=\"bad\">hikaricp_connections_max</span>")
                .contains("<li data-metric=\"hikaricp_connections_max\"><b>metric hikaricp_connections_max</b>: "
                        + "<span class=\"bad\">left out of the application's registry</span>");
        assertThat(page.indexOf("id=\"attention\"")).isLessThan(page.indexOf("Application's registry"));
    }
}
