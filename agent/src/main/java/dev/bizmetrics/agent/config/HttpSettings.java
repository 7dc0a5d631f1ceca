package dev.bizmetrics.agent.config;

import java.util.Arrays;

/** The agent's HTTP server: where it listens, and its basic auth and TLS when configured. */
public final class HttpSettings {
    public static final int DEFAULT_PORT = 30313;
    public static final String DEFAULT_HOST = "0.0.0.0";
    /** {@code http.port=off}: the agent opens no port of its own. */
    public static final int OFF = -1;

    private final String host;
    private final int port;
    private final String username;
    private final byte[] passwordSha256;
    private final String keystore;
    private final String keystorePassword;

    public HttpSettings(String host, int port) {
        this(host, port, null, null, null, null);
    }

    HttpSettings(String host, int port, String username, byte[] passwordSha256, String keystore,
                 String keystorePassword) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.passwordSha256 = passwordSha256 == null ? null : passwordSha256.clone();
        this.keystore = keystore;
        this.keystorePassword = keystorePassword;
    }

    public String host() {
        return host;
    }

    /** 0 picks a free port; {@link #OFF} for none. */
    public int port() {
        return port;
    }

    /** {@code http.port=off}: no port, so no status page either; the self-metrics tell the agent's state. */
    public boolean isOff() {
        return port == OFF;
    }

    /** The basic auth user name, or null when the port is open. */
    public String username() {
        return username;
    }

    /** SHA-256 of the basic auth password; the password itself is not kept. */
    public byte[] passwordSha256() {
        return passwordSha256 == null ? null : passwordSha256.clone();
    }

    /** The PKCS12 keystore for HTTPS, or null for plain HTTP. */
    public String keystore() {
        return keystore;
    }

    public String keystorePassword() {
        return keystorePassword;
    }

    /** True when the server built from these settings would be the same one (a reload cannot change it). */
    public boolean sameServerAs(HttpSettings other) {
        return host.equals(other.host) && port == other.port && eq(username, other.username)
                && Arrays.equals(passwordSha256, other.passwordSha256) && eq(keystore, other.keystore)
                && eq(keystorePassword, other.keystorePassword);
    }

    private static boolean eq(Object a, Object b) {
        return a == null ? b == null : a.equals(b);
    }
}
