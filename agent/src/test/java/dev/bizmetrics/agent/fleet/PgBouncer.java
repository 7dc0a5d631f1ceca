package dev.bizmetrics.agent.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PgBouncer of the test's own in front of the shared PostgreSQL (127.0.0.1:5432, database test): its own ini and
 * userlist in a temporary directory, its own free port (never the Debian service's 6432), run as a child process in
 * the foreground and stopped on {@link #close()}. Two pools: database {@code session} with pool_mode=session and
 * {@code transaction} with pool_mode=transaction, each of at most 2 server connections. PgBouncer refuses to run as
 * root, so as root it is told to switch to the {@code postgres} user ({@code -u}).
 */
final class PgBouncer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

    private final Process process;
    private final Path dir;
    private final int port;

    private PgBouncer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts one; {@code settings} are extra lines of its [pgbouncer] section, e.g. "server_round_robin = 1". */
    static PgBouncer start(String... settings) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install pgbouncer: apt-get install pgbouncer");
        }
        Path dir = Files.createTempDirectory("bm-pgbouncer-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String server = "host=127.0.0.1 port=5432 dbname=test user=postgres pool_size=2";
        StringBuilder ini = new StringBuilder()
                .append("[databases]\n")
                .append("session = ").append(server).append(" pool_mode=session\n")
                .append("transaction = ").append(server).append(" pool_mode=transaction\n")
                .append("[pgbouncer]\n")
                .append("listen_addr = 127.0.0.1\n")
                .append("listen_port = ").append(port).append('\n')
                .append("unix_socket_dir =\n")
                .append("auth_type = trust\n")
                .append("auth_file = ").append(dir.resolve("userlist.txt")).append('\n')
                .append("ignore_startup_parameters = extra_float_digits\n");
        for (String setting : settings) {
            ini.append(setting).append('\n');
        }
        Files.writeString(dir.resolve("userlist.txt"), "\"postgres\" \"\"\n");
        Files.writeString(dir.resolve("pgbouncer.ini"), ini);
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "postgres"));
        }
        command.add(dir.resolve("pgbouncer.ini").toString());
        Path log = dir.resolve("pgbouncer.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PgBouncer bouncer = new PgBouncer(process, dir, port);
        try {
            bouncer.awaitListening(log);
        } catch (Exception e) {
            bouncer.close();
            throw e;
        }
        return bouncer;
    }

    /** The JDBC URL of pool {@code session} or {@code transaction}. */
    String url(String pool) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + pool;
    }

    private void awaitListening(Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ": "
                        + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("pgbouncer did not listen on port " + port + " within 10 s: "
                + Files.readString(log));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
