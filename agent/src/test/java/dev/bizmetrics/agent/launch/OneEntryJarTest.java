package dev.bizmetrics.agent.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class OneEntryJarTest {

    @Test
    void zipReadersSeeTheOneEntryWithItsContentAndChecksum(@TempDir Path dir) throws Exception {
        byte[] content = new byte[5000];
        new Random(7).nextBytes(content);
        File file = dir.resolve("one.jar").toFile();
        OneEntryJar.write(file, "a/b/C.class", content);

        try (JarFile jar = new JarFile(file)) {
            assertThat(jar.size()).isEqualTo(1);
            ZipEntry entry = jar.getEntry("a/b/C.class");
            assertThat(entry.getMethod()).isEqualTo(ZipEntry.STORED);
            assertThat(entry.getSize()).isEqualTo(content.length);
            try (InputStream in = jar.getInputStream(entry)) {
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
        }
        // The streaming reader checks the CRC-32 of a stored entry as it reads it.
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(file.toPath())))) {
            ZipEntry entry = in.getNextEntry();
            assertThat(entry.getName()).isEqualTo("a/b/C.class");
            assertThat(in.readAllBytes()).isEqualTo(content);
            assertThat(in.getNextEntry()).isNull();
        }
    }

    @Test
    void aClassInItLoads(@TempDir Path dir) throws Exception {
        String name = "dev.bizmetrics.bootstrap.DataSourceRegistry";
        byte[] classFile;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(name.replace('.', '/') + ".class")) {
            classFile = in.readAllBytes();
        }
        File file = dir.resolve("registry.jar").toFile();
        OneEntryJar.write(file, name.replace('.', '/') + ".class", classFile);

        try (URLClassLoader loader = new URLClassLoader(new URL[] {file.toURI().toURL()}, null)) {
            Class<?> loaded = loader.loadClass(name);
            assertThat(loaded.getClassLoader()).isSameAs(loader);
            assertThat(loaded.getName()).isEqualTo(name);
        }
    }
}
