package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Keycloak's admin REST API, as an administrator uses it: a token of {@code admin-cli}, then realms and users. */
public final class KeycloakAdmin {

    private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;
    private final String token;

    private KeycloakAdmin(int port, String token) {
        this.port = port;
        this.token = token;
    }

    /** Logs in to the master realm, retrying while Keycloak still starts, at most the timeout. */
    public static KeycloakAdmin login(int port, String user, String password, Duration timeout) throws Exception {
        String form = "grant_type=password&client_id=admin-cli&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/realms/master/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                Matcher token = TOKEN.matcher(response.body());
                if (response.statusCode() == 200 && token.find()) {
                    return new KeycloakAdmin(port, token.group(1));
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no admin token from Keycloak within " + timeout + ": " + last);
    }

    public void createRealm(String realm) throws Exception {
        post("/admin/realms", "{\"realm\":\"" + realm + "\",\"enabled\":true}");
    }

    public void createUser(String realm, String user) throws Exception {
        post("/admin/realms/" + realm + "/users", "{\"username\":\"" + user + "\",\"enabled\":true}");
    }

    private void post(String path, String json) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new AssertionError("POST " + path + ": " + response.statusCode() + " " + response.body());
        }
    }
}
