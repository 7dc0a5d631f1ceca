package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged agent jar: self-contained, invisible to the host's own libraries, loadable by Java 8. */
class AgentJarIT {

    @Test
    void holdsOnlyOurOwnPackageAndMetadata() throws IOException {
        try (JarFile jar = new JarFile(HostProcess.AGENT_JAR.toFile())) {
            List<String> foreign = new ArrayList<>();
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (!name.startsWith("dev/bizmetrics/") && !name.startsWith("META-INF/") && !name.equals("dev/")) {
                    foreign.add(name);
                }
            }
            assertThat(foreign).isEmpty();
            assertThat(jar.getEntry("dev/bizmetrics/agent/shaded/bytebuddy/jar/asm/ClassReader.class")).isNotNull();
            assertThat(jar.getEntry("dev/bizmetrics/agent/shaded/prometheus/metrics/exporter/common/"
                    + "PrometheusScrapeHandler.class")).isNotNull();
            // The agent serves HTTP itself; the client's HTTPServer (the JDK's com.sun.net.httpserver) is not shipped.
            assertThat(jar.getEntry("dev/bizmetrics/agent/shaded/prometheus/metrics/exporter/httpserver/HTTPServer.class"))
                    .isNull();
        }
    }

    /**
     * The host-registry adapters keep the host's client's package names (the shade plugin relocates every
     * {@code .class}, so they are carried as {@code .bin}), and are no loadable class of the agent's.
     */
    @Test
    void theAdaptersReferToTheHostsClientNotTheRelocatedOne() throws IOException {
        try (JarFile jar = new JarFile(HostProcess.AGENT_JAR.toFile())) {
            String prefix = "dev/bizmetrics/agent/hostexport/adapters/";
            for (String adapter : List.of("ClientJavaCollector", "SimpleclientCollector")) {
                JarEntry entry = jar.getJarEntry(prefix + adapter + ".bin");
                assertThat(entry).as(adapter).isNotNull();
                String classFile = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(classFile).contains(adapter.startsWith("Client") ? "io/prometheus/metrics/model/registry"
                        : "io/prometheus/client/Collector").doesNotContain("dev/bizmetrics/agent/shaded");
            }
            assertThat(Collections.list(jar.entries())).noneMatch(e -> e.getName().contains("hostadapter/"));
        }
    }

    @Test
    void manifestDeclaresTheAgentEntryPoints() throws IOException {
        try (JarFile jar = new JarFile(HostProcess.AGENT_JAR.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Premain-Class")).isEqualTo("dev.bizmetrics.agent.launch.Launcher");
            assertThat(main.getValue("Agent-Class")).isEqualTo("dev.bizmetrics.agent.launch.Launcher");
            assertThat(main.getValue("Main-Class")).isEqualTo("dev.bizmetrics.agent.launch.Launcher");
            assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
        }
    }

    @Test
    void serviceFilesNameRelocatedClasses() throws IOException {
        try (JarFile jar = new JarFile(HostProcess.AGENT_JAR.toFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (entry.getName().startsWith("META-INF/services/") && !entry.isDirectory()) {
                    assertThat(entry.getName()).doesNotContain("io.prometheus", "net.bytebuddy");
                    try (InputStream in = jar.getInputStream(entry)) {
                        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        assertThat(text).doesNotContain("io.prometheus.", "net.bytebuddy.");
                    }
                }
            }
        }
    }

    @Test
    void everyClassRunsOnJava8() throws IOException {
        try (JarFile jar = new JarFile(HostProcess.AGENT_JAR.toFile())) {
            List<String> tooNew = new ArrayList<>();
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (entry.getName().endsWith(".class")) {
                    try (DataInputStream in = new DataInputStream(jar.getInputStream(entry))) {
                        in.readInt();
                        in.readUnsignedShort();
                        int major = in.readUnsignedShort();
                        if (major > 52) {
                            tooNew.add(entry.getName() + " (class file " + major + ")");
                        }
                    }
                }
            }
            assertThat(tooNew).isEmpty();
        }
    }
}
