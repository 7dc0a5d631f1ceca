package dev.bizmetrics.agent.sql;

/** How a refusal points into the SQL: a 1-based character number and a short, one-line quote. */
final class Where {

    /** At most this many characters of the SQL appear in a message, so that a message stays short. */
    static final int QUOTE_LENGTH = 40;

    private Where() {
    }

    /** "character N", counting code points from 1, as a user counts them in an editor. */
    static String at(String sql, int index) {
        return "character " + (sql.codePointCount(0, Math.min(index, sql.length())) + 1);
    }

    /** The SQL from {@code index} on, at most {@link #QUOTE_LENGTH} characters, on one line, in quotes. */
    static String quote(String sql, int index) {
        int end = Math.min(sql.length(), index + QUOTE_LENGTH);
        if (end < sql.length() && Character.isHighSurrogate(sql.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end - index + 3);
        out.append('\'');
        for (int i = index; i < end; i++) {
            char c = sql.charAt(i);
            out.append(c < ' ' || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        if (end < sql.length()) {
            out.append('\u2026');
        }
        return out.append('\'').toString();
    }
}
