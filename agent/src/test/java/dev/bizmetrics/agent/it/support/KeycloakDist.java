package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The real Keycloak distribution ({@code org.keycloak:keycloak-quarkus-dist}, a test dependency of the agent module,
 * so Maven puts its zip into ~/.m2), unpacked into a folder of the test's own and run through its own
 * {@code bin/kc.sh}, with the agent in {@code JAVA_OPTS_APPEND} as its documentation says.
 */
public final class KeycloakDist {

    private static final Path ZIP = Path.of(System.getProperty("bizmetrics.keycloak.zip", ""));

    private final Path home;

    private KeycloakDist(Path home) {
        this.home = home;
    }

    /** Unpacks the distribution into {@code dir}; fails when Maven has not fetched it. */
    public static KeycloakDist unpack(Path dir) throws IOException {
        if (!Files.isRegularFile(ZIP)) {
            throw new IllegalStateException("the Keycloak distribution is missing (" + ZIP + "); run the build online "
                    + "once so that Maven fetches org.keycloak:keycloak-quarkus-dist");
        }
        Path root = null;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(ZIP))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("entry outside the folder: " + entry.getName());
                }
                if (root == null) {
                    root = dir.resolve(Path.of(entry.getName()).getName(0));
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    copy(zip, target);
                }
            }
        }
        for (String script : List.of("kc.sh")) {
            Files.setPosixFilePermissions(root.resolve("bin").resolve(script), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return new KeycloakDist(root);
    }

    private static void copy(InputStream in, Path target) throws IOException {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code bin/kc.sh ARGS} with the agent given this argument string in {@code JAVA_OPTS_APPEND}. */
    public HostProcess kc(String agentArguments, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/kc.sh").toString());
        command.addAll(List.of(args));
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("JAVA_OPTS_APPEND", HostProcess.agentFlag(agentArguments));
        all.put("JAVA_HOME", HostProcess.JAVA_17.getParent().getParent().toString());
        return HostProcess.startCommand(command, all);
    }
}
