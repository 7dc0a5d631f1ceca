package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of the test's own (initdb into a temporary directory, its own port), so that a test can stop
 * and start it without touching the machine's shared server. Runs as the {@code postgres} user, as initdb refuses
 * root.
 */
public final class PgInstance implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;

    private PgInstance(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    public static PgInstance create() throws Exception {
        Path bin;
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.sorted().reduce((a, b) -> b).orElseThrow().resolve("bin");
        }
        Path dir = Files.createTempDirectory("bm-pg-");
        exec(List.of("chown", "postgres", dir.toString()));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        PgInstance pg = new PgInstance(bin, dir, port);
        pg.asPostgres(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                "-U", "postgres", "--no-sync");
        pg.start();
        return pg;
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    public void start() throws Exception {
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("log").toString(), "-w", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
                        + " -c fsync=off", "start");
    }

    /** Stops at once, as a crash or a pulled plug would: clients see their connections drop. */
    public void stop() throws Exception {
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-m", "immediate",
                "stop");
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } catch (Exception ignored) {
            // already stopped
        }
        exec(List.of("rm", "-rf", dir.toString()));
    }

    private void asPostgres(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(command));
        exec(full);
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
