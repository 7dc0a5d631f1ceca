package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Apache Tomcat from Maven Central (unpacked by the build into target/containers, see agent/pom.xml), copied
 * into a directory of its own so that a test can change its configuration, with the PostgreSQL driver in its
 * {@code lib/}, its HTTP connector on a free port and no shutdown port; started with {@code catalina.sh run} and the
 * agent in {@code CATALINA_OPTS}.
 */
public final class TomcatServer {

    private final Path home;
    private final int httpPort;

    public TomcatServer(Path dir) throws Exception {
        home = dir.resolve("tomcat");
        Servers.copyTree(Servers.distribution("bizmetrics.tomcat.dir", "org.apache.tomcat:tomcat"), home);
        Servers.copyPostgresDriver(home.resolve("lib"));
        httpPort = Servers.freePort();
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
        Files.writeString(staging.resolve("index.jsp"), Servers.ordersJsp("java:comp/env/" + jndiName));
        if (contextXml != null) {
            Files.createDirectories(staging.resolve("META-INF"));
            Files.writeString(staging.resolve("META-INF/context.xml"), contextXml);
        }
        Files.move(staging, home.resolve("webapps").resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
    /** GET on Tomcat's connector: the status and the body, or the failure as text. */
    public String get(String path) {
        return Servers.get(httpPort, path);
    }

    /** GETs until the body has the text (an application still deploying answers 404), at most the timeout. */
    public String getUntil(String path, String text, Duration timeout) throws InterruptedException {
        return Servers.getUntil(httpPort, path, text, timeout);
    }
}
