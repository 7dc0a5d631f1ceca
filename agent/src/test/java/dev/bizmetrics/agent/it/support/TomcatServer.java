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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Apache Tomcat from Maven Central (unpacked by the build into target/containers, see agent/pom.xml), copied
 * into a directory of its own so that a test can change its configuration, with the PostgreSQL driver in its
 * {@code lib/}, its HTTP connector on a free port and no shutdown port; started with {@code catalina.sh run} and the
 * agent in {@code CATALINA_OPTS}.
 */
public final class TomcatServer {

    public static final Path DIST = Path.of(System.getProperty("bizmetrics.tomcat.dir", "target/containers/tomcat"));

    private final Path home;
    private final int httpPort;

    public TomcatServer(Path dir) throws Exception {
        if (!Files.isDirectory(DIST.resolve("bin"))) {
            throw new IllegalStateException(DIST + " is missing: run the ITs with mvn verify, which unpacks "
                    + "org.apache.tomcat:tomcat (see agent/pom.xml)");
        }
        home = dir.resolve("tomcat");
        copyTree(DIST, home);
        Path driver = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.copy(driver, home.resolve("lib").resolve(driver.getFileName()));
        httpPort = freePort();
        edit("conf/server.xml", "<Server port=\"8005\"", "<Server port=\"-1\"");
        edit("conf/server.xml", "<Connector port=\"8080\"", "<Connector port=\"" + httpPort + "\"");
    }

    /** The attributes of a {@code <Resource>} of a DBCP2 pool on that database. */
    public static String resource(String name, ShopDatabase db) {
        return "<Resource name=\"" + name + "\" auth=\"Container\" type=\"javax.sql.DataSource\" "
                + "driverClassName=\"org.postgresql.Driver\" url=\"" + db.url() + "\" username=\"" + db.user()
                + "\" password=\"\" maxTotal=\"4\" maxIdle=\"2\"/>";
    }

    /** Replaces text in a file under the server's directory; fails when the text is not there. */
    public void edit(String file, String text, String replacement) throws IOException {
        Path path = home.resolve(file);
        String content = Files.readString(path);
        if (!content.contains(text)) {
            throw new IllegalStateException(file + " has no " + text);
        }
        Files.writeString(path, content.replace(text, replacement));
    }

    public Path home() {
        return home;
    }

    public HostProcess start(Path config) throws Exception {
        HostProcess tomcat = HostProcess.startScript(home, List.of("sh", "bin/catalina.sh", "run"), Map.of(
                "CATALINA_HOME", home.toString(), "CATALINA_BASE", home.toString(),
                "CATALINA_OPTS", HostProcess.agentFlag("config=" + config)));
        tomcat.awaitLine(line -> line.contains("Server startup in"), Duration.ofSeconds(120));
        return tomcat;
    }

    /**
     * Deploys a web application of the test's own under {@code webapps/<name>}: a JSP that counts the orders through
     * {@code java:comp/env/<jndiName>}, and, when given, its own {@code META-INF/context.xml}. Written beside and
     * moved in whole, so that the deployer never sees it half-written.
     */
    public void deploy(String name, String jndiName, String contextXml) throws IOException {
        Path staging = home.resolve(name + ".staging");
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("index.jsp"), "<%@ page import=\"javax.naming.InitialContext,"
                + "javax.sql.DataSource,java.sql.*\" %><%\n"
                + "DataSource ds = (DataSource) new InitialContext().lookup(\"java:comp/env/" + jndiName + "\");\n"
                + "try (Connection c = ds.getConnection(); Statement s = c.createStatement();\n"
                + "     ResultSet rs = s.executeQuery(\"SELECT COUNT(*) FROM orders\")) {\n"
                + "  rs.next(); out.print(\"orders=\" + rs.getLong(1));\n"
                + "}\n%>");
        if (contextXml != null) {
            Files.createDirectories(staging.resolve("META-INF"));
            Files.writeString(staging.resolve("META-INF/context.xml"), contextXml);
        }
        Files.move(staging, home.resolve("webapps").resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** GET on Tomcat's connector: the status and the body, or the failure as text. */
    public String get(String path) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(30)).build(),
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
    public String getUntil(String path, String text, Duration timeout) throws InterruptedException {
        String page = get(path);
        for (long deadline = System.nanoTime() + timeout.toNanos(); !page.contains(text)
                && System.nanoTime() < deadline; page = get(path)) {
            Thread.sleep(500);
        }
        return page;
    }

    /**
     * Re-binding the port between here and Tomcat's start is a race another process could win; the test then fails
     * at Tomcat's start, loudly.
     */
    private static int freePort() throws IOException {
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
