package dev.bizmetrics.agent.discovery;

import java.util.regex.Pattern;

/** Removes user names and passwords from a JDBC URL before it is shown anywhere. */
public final class UrlSanitizer {

    /** {@code jdbc:oracle:thin:scott/tiger@host} */
    private static final Pattern ORACLE_CREDENTIALS = Pattern.compile("^(jdbc:oracle:[a-z]+:)[^@/]*/[^@]*@",
            Pattern.CASE_INSENSITIVE);
    /** {@code //user:password@host} */
    private static final Pattern AUTHORITY_CREDENTIALS = Pattern.compile("//[^/?#;@]*@");
    /** {@code ?user=a&password=b}, {@code ;USER=a;PASSWORD=b} and the like. */
    private static final Pattern CREDENTIAL_PARAMETER = Pattern.compile(
            "([?&;:])[a-z_.\\-]*(?:user|password|passwd|pwd|secret|token|credential|key)[a-z_.\\-]*=[^&;]*",
            Pattern.CASE_INSENSITIVE);

    private UrlSanitizer() {
    }

    public static String sanitize(String url) {
        if (url == null) {
            return "";
        }
        String clean = ORACLE_CREDENTIALS.matcher(url).replaceFirst("$1@");
        clean = AUTHORITY_CREDENTIALS.matcher(clean).replaceFirst("//");
        String previous;
        do {
            previous = clean;
            clean = CREDENTIAL_PARAMETER.matcher(clean).replaceAll("$1");
        } while (!clean.equals(previous));
        return clean.replaceAll("([?&;])[&;]+", "$1").replaceAll("\\?&", "?").replaceAll("[?&;]+$", "");
    }
}
