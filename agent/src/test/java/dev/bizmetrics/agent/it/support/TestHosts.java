package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The host applications of the {@code test-hosts}, {@code test-boot-app} and {@code test-boot27-app} modules, started as real JVMs. */
public final class TestHosts {

    public static final Path DIR = Path.of(System.getProperty("bizmetrics.testhosts.dir", "../test-hosts/target"));
    public static final Path BOOT_JAR = Path.of(System.getProperty("bizmetrics.boot.jar",
            "../test-boot-app/target/test-boot-app.jar"));
    /** Spring Boot 2.7: Micrometer on the simpleclient. */
    public static final Path BOOT27_JAR = Path.of(System.getProperty("bizmetrics.boot27.jar",
            "../test-boot27-app/target/test-boot27-app.jar"));

    private TestHosts() {
    }

    /** The hosts' jar and every library they use (the pools, drivers, Spring, their own Prometheus client...). */
    static String classPath() {
        Path jar = DIR.resolve("test-hosts.jar");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(DIR.resolve("lib"))) {
            throw new IllegalStateException(jar + " or its lib/ is missing; build the test-hosts module first "
                    + "(mvn -B verify from the top builds it before the agent)");
        }
        return jar.toAbsolutePath() + java.io.File.pathSeparator + DIR.resolve("lib").toAbsolutePath() + "/*";
    }

    /** Starts {@code dev.bizmetrics.testhosts.<main>}. */
    public static HostProcess start(Path java, List<String> jvmArgs, String main, List<String> args)
            throws IOException {
        return HostProcess.startMain(java, jvmArgs, classPath(), "dev.bizmetrics.testhosts." + main, args);
    }
}
