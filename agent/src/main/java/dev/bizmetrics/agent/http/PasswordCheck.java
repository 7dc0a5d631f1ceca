package dev.bizmetrics.agent.http;

import com.sun.net.httpserver.BasicAuthenticator;
import dev.bizmetrics.agent.config.PasswordHash;

import java.security.MessageDigest;

/** Basic auth against the configured user and the SHA-256 of the password, compared in constant time. */
final class PasswordCheck extends BasicAuthenticator {

    private final byte[] usernameSha256;
    private final byte[] passwordSha256;

    PasswordCheck(String username, byte[] passwordSha256) {
        super("bizmetrics");
        this.usernameSha256 = PasswordHash.sha256(username);
        this.passwordSha256 = passwordSha256;
    }

    @Override
    public boolean checkCredentials(String username, String password) {
        // Both compared, always, on hashes of equal length: the time taken says nothing about either.
        boolean user = MessageDigest.isEqual(usernameSha256, PasswordHash.sha256(username));
        boolean pass = MessageDigest.isEqual(passwordSha256, PasswordHash.sha256(password));
        return user & pass;
    }
}
