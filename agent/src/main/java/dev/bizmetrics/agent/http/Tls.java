package dev.bizmetrics.agent.http;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * HTTPS from a PKCS12 keystore, TLS 1.2 and 1.3 only. TLS is layered on each accepted TCP socket rather than done by
 * an {@code SSLServerSocket}: the connection keeps the TCP socket, and closing that is the one way to stop a TLS
 * socket at once. {@code SSLSocket.close()} first sends close_notify under the lock a writer stuck on a client that
 * does not read holds, so it would wait as long as the writer does.
 */
final class Tls {

    private static final List<String> PROTOCOLS = Arrays.asList("TLSv1.3", "TLSv1.2");

    private final SSLSocketFactory factory;
    private final String[] protocols;

    private Tls(SSLSocketFactory factory, String[] protocols) {
        this.factory = factory;
        this.protocols = protocols;
    }

    static Tls fromKeystore(String path, String password) throws Exception {
        char[] secret = password == null ? new char[0] : password.toCharArray();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        InputStream in = new FileInputStream(path);
        try {
            keyStore.load(in, secret);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot open the keystore " + path
                    + " (wrong http.tls.keystore-password, or not PKCS12?)", e);
        } finally {
            in.close();
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, secret);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        List<String> enabled = new ArrayList<String>();
        for (String protocol : context.getSupportedSSLParameters().getProtocols()) {
            if (PROTOCOLS.contains(protocol)) {
                enabled.add(protocol);
            }
        }
        if (enabled.isEmpty()) {
            throw new IllegalStateException("this JVM supports neither TLS 1.2 nor TLS 1.3");
        }
        return new Tls(context.getSocketFactory(), enabled.toArray(new String[0]));
    }

    /** The server side of TLS over the accepted socket; the handshake is the caller's, under its deadline. */
    SSLSocket wrap(Socket tcp) throws IOException {
        SSLSocket socket = (SSLSocket) factory.createSocket(tcp, null, true);
        socket.setUseClientMode(false);
        socket.setEnabledProtocols(protocols);
        return socket;
    }
}
