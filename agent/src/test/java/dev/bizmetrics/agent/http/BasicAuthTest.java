package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.config.PasswordHash;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every form an Authorization header can take is a yes or a no, never an exception. */
class BasicAuthTest {

    private final BasicAuth auth = new BasicAuth("prometheus", PasswordHash.sha256("pässword:with:colons"));

    @Test
    void theRightCredentialsInAnySchemeCase() {
        String token = base64("prometheus:pässword:with:colons");
        for (String scheme : List.of("Basic", "basic", "BASIC", "bAsIc")) {
            assertThat(auth.permits(List.of(scheme + " " + token))).as(scheme).isTrue();
        }
        assertThat(auth.permits(List.of("  Basic    " + token + "  "))).isTrue();
    }

    @Test
    void everythingElseIsANo() {
        List<List<String>> refused = List.of(
                List.of(),
                List.of(""),
                List.of("Basic"),
                List.of("Basic "),
                List.of(base64("prometheus:pässword:with:colons")),          // no scheme
                List.of("Bearer " + base64("prometheus:pässword:with:colons")),
                List.of("Basic !!!not-base64!!!"),
                List.of("Basic " + base64("prometheus")),                  // no colon
                List.of("Basic " + base64("")),
                List.of("Basic " + base64(":")),
                List.of("Basic " + base64("prometheus:wrong")),
                List.of("Basic " + base64("other:pässword:with:colons")),
                List.of("Basic " + base64("prometheus:pässword:with:colons"), "Basic " + base64("x:y")),
                List.of("Basic " + base64("prometheus:pässword:with:colons"),
                        "Basic " + base64("prometheus:pässword:with:colons")),
                List.of("Basic " + Base64.getEncoder().encodeToString(new byte[] {'p', ':', (byte) 0xff, (byte) 0xfe})),
                // the password in ISO-8859-1 rather than UTF-8: not the same bytes, and not UTF-8 at all
                List.of("Basic " + Base64.getEncoder().encodeToString("prometheus:pässword:with:colons"
                        .getBytes(StandardCharsets.ISO_8859_1))),
                List.of("Basic\t" + base64("prometheus:pässword:with:colons")));
        for (List<String> headers : refused) {
            assertThat(auth.permits(headers)).as(headers.toString()).isFalse();
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
