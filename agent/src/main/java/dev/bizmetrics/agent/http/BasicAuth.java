package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.config.PasswordHash;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

/**
 * Basic auth (RFC 7617) against the configured user and the SHA-256 of the password. Whatever the Authorization
 * headers hold, the answer is yes or no: a malformed one is a no (the client gets a 401), never an exception.
 */
final class BasicAuth {

    /** The challenge of every 401: the realm, and that user and password are read as UTF-8. */
    static final String CHALLENGE = "Basic realm=\"bizmetrics\", charset=\"UTF-8\"";

    private final byte[] usernameSha256;
    private final byte[] passwordSha256;

    BasicAuth(String username, byte[] passwordSha256) {
        this.usernameSha256 = PasswordHash.sha256(username);
        this.passwordSha256 = passwordSha256.clone();
    }

    /** True when the request's Authorization headers (their values as sent) carry the configured credentials. */
    boolean permits(List<String> authorization) {
        if (authorization.size() != 1) {
            return false; // none, or several: which one would count is anyone's guess
        }
        String value = authorization.get(0).trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Basic")) {
            return false; // the scheme is case-insensitive (RFC 9110 11.1); no scheme, or another one
        }
        String credentials = utf8(value.substring(space + 1).trim());
        int colon = credentials == null ? -1 : credentials.indexOf(':');
        if (colon < 0) {
            return false;
        }
        // Both compared, always, on hashes of equal length: the time taken says nothing about either.
        boolean user = MessageDigest.isEqual(usernameSha256, PasswordHash.sha256(credentials.substring(0, colon)));
        boolean pass = MessageDigest.isEqual(passwordSha256, PasswordHash.sha256(credentials.substring(colon + 1)));
        return user & pass;
    }

    /** The base64 token decoded as UTF-8, or null when it is not base64 of UTF-8 text. */
    private static String utf8(String token) {
        if (token.isEmpty()) {
            return null;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(token);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException e) {
            return null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
