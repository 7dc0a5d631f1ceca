package dev.bizmetrics.agent.sql;

/**
 * Decodes the escapes of a PostgreSQL or H2 {@code U&"..."} name ({@code \0070}, {@code \+000070}, {@code \\}), so
 * that {@code U&"\0070g_advisory_lock"} is known for the function it names.
 */
final class UnicodeEscapes {

    private UnicodeEscapes() {
    }

    static String decode(String text, char escape) {
        if (text.indexOf(escape) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != escape) {
                out.append(c);
                i++;
            } else if (i + 1 < text.length() && text.charAt(i + 1) == escape) {
                out.append(escape);
                i += 2;
            } else if (i + 1 < text.length() && text.charAt(i + 1) == '+' && hex(text, i + 2, 6)) {
                out.appendCodePoint(validCodePoint(Integer.parseInt(text.substring(i + 2, i + 8), 16)));
                i += 8;
            } else if (hex(text, i + 1, 4)) {
                out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                i += 5;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int validCodePoint(int cp) {
        return Character.isValidCodePoint(cp) ? cp : 0xFFFD;
    }

    private static boolean hex(String text, int from, int count) {
        if (from + count > text.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
