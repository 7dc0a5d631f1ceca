package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.KeycloakAdmin;
import dev.bizmetrics.agent.it.support.KeycloakDist;
import dev.bizmetrics.agent.it.support.PostgresSchema;
import dev.bizmetrics.agent.it.support.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.bizmetrics.agent.it.support.Scrape.family;
import static dev.bizmetrics.agent.it.support.ShopDatabase.sorted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Keycloak distribution on PostgreSQL with the agent in {@code JAVA_OPTS_APPEND}, which reaches every JVM
 * {@code kc.sh} starts: {@code kc.sh build}, start-dev's augmentation JVM, {@code kc.sh export} and {@code import}
 * stay idle (one line, no port); the JVM that serves binds Keycloak's Agroal pool and serves users per realm, after a
 * realm and users were created through Keycloak's admin REST API, equal to what SQL says of Keycloak's tables.
 */
class KeycloakIT {

    private static final String USERS_PER_REALM = "SELECT r.name AS realm, COUNT(u.id) AS users FROM realm r "
            + "LEFT JOIN user_entity u ON u.realm_id = r.id GROUP BY r.name";

    @Test
    void onlyTheJvmThatServesRunsTheAgent(@TempDir Path dir) throws Exception {
        KeycloakDist keycloak = KeycloakDist.unpack(dir);
        Path config = dir.resolve("bizmetrics.properties");
        Files.writeString(config, "http.port=0\ndefaults.interval=2s\n"
                + "metric.keycloak_users.sql=" + USERS_PER_REALM + "\n");
        try (PostgresSchema schema = PostgresSchema.create()) {
            List<String> db = List.of("--db=postgres", "--db-url=" + schema.url(), "--db-schema=" + schemaName(schema),
                    "--db-username=postgres", "--db-password=trusted");
            Map<String, String> env = Map.of("KC_BOOTSTRAP_ADMIN_USERNAME", "admin",
                    "KC_BOOTSTRAP_ADMIN_PASSWORD", "admin-password");

            try (HostProcess build = keycloak.kc(config.toString(), env, args("build", db))) {
                assertThat(build.awaitExit(Duration.ofMinutes(5))).as(String.join("\n", build.output())).isZero();
                assertThat(agentLines(build)).containsExactly("[bizmetrics] info this JVM is Keycloak's 'build' "
                        + "command (kc.sh build), which does not serve: it only builds or administers, so the agent "
                        + "stays idle here (no port, no query). To run it here anyway, set agent.main to a regular "
                        + "expression found in this JVM's main class or jar");
            }

            List<String> startDev = new java.util.ArrayList<>(List.of(args("start-dev", db)));
            int httpPort = freePort();
            startDev.addAll(List.of("--http-port=" + httpPort, "--http-management-port=" + freePort()));
            try (HostProcess server = keycloak.kc(config.toString(), env, startDev.toArray(new String[0]))) {
                int port = server.awaitMetricsPort(Duration.ofMinutes(5));
                KeycloakAdmin admin = KeycloakAdmin.login(httpPort, "admin", "admin-password", Duration.ofMinutes(3));
                admin.createRealm("shop");
                for (String user : List.of("alice", "bob", "carol")) {
                    admin.createUser("shop", user);
                }
                Map<String, Double> scrape = Scrape.until(port, m -> {
                    try {
                        Map<String, Double> users = sorted(family(m, "keycloak_users"));
                        return !users.isEmpty() && users.equals(schema.db().byLabel("realm", USERS_PER_REALM));
                    } catch (SQLException e) {
                        return false; // Keycloak is still creating its tables
                    }
                }, Duration.ofMinutes(3));
                assertThat(family(scrape, "keycloak_users")).containsEntry("{realm=\"master\"}", 1.0)
                        .containsEntry("{realm=\"shop\"}", 3.0);
                assertThat(family(scrape, "bizmetrics_datasource_bound")).containsEntry("{datasource=\"main\"}", 1.0);
                // Agroal has no pool name: its pool is named as Quarkus names the datasource.
                assertThat(family(Scrape.until(port, m -> !family(m, "db_client_connection_max").isEmpty(),
                        Duration.ofSeconds(30)), "db_client_connection_max"))
                        .containsKey("{db_client_connection_pool_name=\"<default>\"}");
                // start-dev re-augments first in a JVM of its own (dev profile), which stays idle.
                assertThat(server.output()).anyMatch(line -> line.startsWith("[bizmetrics] info this JVM is a Quarkus "
                        + "augmentation"));
                assertThat(server.output()).filteredOn(line -> line.startsWith("[bizmetrics] info serving http://"))
                        .hasSize(1);
                assertThat(server.output()).noneMatch(line -> line.startsWith("[bizmetrics] error"));
            }

            // kc.sh export, the server stopped: the agent stays idle, and the export has the realm.
            Path export = dir.resolve("export");
            try (HostProcess exporting = keycloak.kc(config.toString(), env, concat(args("export", db),
                    "--dir", export.toString(), "--realm", "shop"))) {
                assertThat(exporting.awaitExit(Duration.ofMinutes(5))).as(String.join("\n", exporting.output()))
                        .isZero();
                // kc.sh runs the export in one JVM, after a re-augmentation in another when the build differs.
                assertThat(agentLines(exporting)).isNotEmpty().allMatch(line -> line.startsWith(
                        "[bizmetrics] info this JVM is Keycloak's 'export' command"));
            }
            assertThat(Files.readString(export.resolve("shop-realm.json"))).containsPattern("\"realm\"\\s*:\\s*\"shop\"");
            StringBuilder exported = new StringBuilder();
            try (var files = Files.list(export)) {
                for (Path file : files.toList()) {
                    exported.append(Files.readString(file));
                }
            }
            assertThat(exported.toString()).contains("\"alice\"", "\"bob\"", "\"carol\"");

            // kc.sh import of what was exported: idle too, and it imports.
            try (HostProcess importing = keycloak.kc(config.toString(), env, concat(args("import", db),
                    "--dir", export.toString()))) {
                assertThat(importing.awaitExit(Duration.ofMinutes(5))).as(String.join("\n", importing.output()))
                        .isZero();
                assertThat(agentLines(importing)).isNotEmpty().allMatch(line -> line.startsWith(
                        "[bizmetrics] info this JVM is Keycloak's 'import' command"));
                assertThat(importing.output()).anyMatch(line -> line.contains("shop"));
            }
        }
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private static String[] args(String verb, List<String> db) {
        List<String> all = new java.util.ArrayList<>();
        all.add(verb);
        all.addAll(db);
        return all.toArray(new String[0]);
    }

    private static String schemaName(PostgresSchema schema) {
        return schema.url().substring(schema.url().indexOf("currentSchema=") + "currentSchema=".length());
    }

    private static List<String> agentLines(HostProcess host) {
        return host.output().stream().filter(line -> line.startsWith("[bizmetrics]")).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
