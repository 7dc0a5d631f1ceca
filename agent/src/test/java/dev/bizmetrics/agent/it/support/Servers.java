package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Stream;

/** What the application server ITs share: their distributions, the PostgreSQL driver, free ports, pages. */
public final class Servers {

    private Servers() {
    }

    /** The unpacked distribution; fails, naming the artifact, when the build has not unpacked it. */
    public static Path distribution(String property, String artifact) {
        Path dir = Path.of(System.getProperty(property, "target/containers/missing"));
        if (!Files.isDirectory(dir.resolve("bin"))) {
            throw new IllegalStateException(dir + " is missing: run the ITs with mvn verify, which unpacks "
                    + artifact + " (see agent/pom.xml)");
        }
        return dir;
    }

    /** Copies the PostgreSQL driver jar of the test class path into a directory; returns the copy. */
    public static Path copyPostgresDriver(Path dir) throws Exception {
        Path driver = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.createDirectories(dir);
        return Files.copy(driver, dir.resolve(driver.getFileName()));
    }

    /** A web page a JSP of the test's own serves: one that counts the orders through a JNDI name. */
    public static String ordersJsp(String jndiName) {
        return "<%@ page import=\"javax.naming.InitialContext,javax.sql.DataSource,java.sql.*\" %><%\n"
                + "DataSource ds = (DataSource) new InitialContext().lookup(\"" + jndiName + "\");\n"
                + "try (Connection c = ds.getConnection(); Statement s = c.createStatement();\n"
                + "     ResultSet rs = s.executeQuery(\"SELECT COUNT(*) FROM orders\")) {\n"
                + "  rs.next(); out.print(\"orders=\" + rs.getLong(1));\n"
                + "}\n%>";
    }

    /** A JSP that takes that many connections of the DataSource, holds them for the time, and says how many it held. */
    public static String holdingJsp(String jndiName, int connections, long millis) {
        return "<%@ page import=\"javax.naming.InitialContext,javax.sql.DataSource,java.sql.*,java.util.*\" %><%\n"
                + "DataSource ds = (DataSource) new InitialContext().lookup(\"" + jndiName + "\");\n"
                + "List<Connection> held = new ArrayList<>();\n"
                + "try {\n"
                + "  for (int i = 0; i < " + connections + "; i++) { held.add(ds.getConnection()); }\n"
                + "  Thread.sleep(" + millis + "L);\n"
                + "  out.print(\"held=\" + held.size());\n"
                + "} finally {\n"
                + "  for (Connection c : held) { c.close(); }\n"
                + "}\n%>";
    }

    /** GET on a server's HTTP port: the status and the body, or the failure as text. */
    public static String get(int port, String path) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    /** GETs until the body has the text (an application still deploying answers 404), at most the timeout. */
    public static String getUntil(int port, String path, String text, Duration timeout) throws InterruptedException {
        String page = get(port, path);
        for (long deadline = System.nanoTime() + timeout.toNanos(); !page.contains(text)
                && System.nanoTime() < deadline; page = get(port, path)) {
            Thread.sleep(500);
        }
        return page;
    }

    /**
     * A port free now. Re-binding it between here and the server's start is a race another process could win; the
     * test then fails at the server's start, loudly.
     */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Copies a server's directory tree, keeping the files' attributes (the scripts' execute bits). */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
