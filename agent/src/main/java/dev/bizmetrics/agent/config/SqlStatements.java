package dev.bizmetrics.agent.config;

import java.util.Locale;

/** Tells what kind of statement a SQL text is, skipping comments, and whether it holds more than one statement. */
final class SqlStatements {

    private SqlStatements() {
    }

    /** The first keyword in upper case ({@code SELECT}, {@code WITH}, {@code DELETE}, ...), or "" if none. */
    static String firstKeyword(String sql) {
        int i = skipSpaceAndComments(sql, 0);
        while (i < sql.length() && sql.charAt(i) == '(') {
            i = skipSpaceAndComments(sql, i + 1);
        }
        int start = i;
        while (i < sql.length() && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toUpperCase(Locale.ROOT);
    }

    /** True when a {@code ;} outside quotes and comments is followed by anything but space and comments. */
    static boolean hasSeveralStatements(String sql) {
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int close = sql.indexOf(c, i + 1);
                i = close < 0 ? sql.length() : close + 1;
            } else if (startsComment(sql, i)) {
                i = skipSpaceAndComments(sql, i);
            } else if (c == ';') {
                return skipSpaceAndComments(sql, i + 1) < sql.length();
            } else {
                i++;
            }
        }
        return false;
    }

    private static boolean startsComment(String sql, int i) {
        return sql.startsWith("--", i) || sql.startsWith("/*", i);
    }

    private static int skipSpaceAndComments(String sql, int from) {
        int i = from;
        while (i < sql.length()) {
            if (Character.isWhitespace(sql.charAt(i))) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            } else {
                break;
            }
        }
        return i;
    }
}
