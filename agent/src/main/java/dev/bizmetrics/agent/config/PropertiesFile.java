package dev.bizmetrics.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code .properties} format with the line number of every key, which {@link java.util.Properties}
 * forgets. Same syntax ({@code key=value}, {@code key: value}, {@code key value}, {@code #}/{@code !} comments,
 * backslash continuations and escapes), plus one addition: a {@code #} after whitespace ends the value, so that the
 * commented examples of the documentation work when copied. {@code \#} keeps a literal {@code #}.
 */
final class PropertiesFile {

    private PropertiesFile() {
    }

    /**
     * @param name the file name used in origins, e.g. {@code bizmetrics.properties}
     * @param problems receives a problem for each key given twice
     */
    static List<Setting> parse(String text, String name, List<Problem> problems) {
        Map<String, Setting> settings = new LinkedHashMap<String, Setting>();
        List<String> lines = lines(text);
        for (int i = 0; i < lines.size(); i++) {
            int firstLine = i + 1;
            String line = stripLeading(lines.get(i));
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '!') {
                continue;
            }
            StringBuilder logical = new StringBuilder();
            while (endsWithContinuation(line) && i + 1 < lines.size()) {
                logical.append(line, 0, line.length() - 1);
                line = stripLeading(lines.get(++i));
            }
            logical.append(endsWithContinuation(line) ? line.substring(0, line.length() - 1) : line);
            Setting setting = split(logical.toString(), name + ":" + firstLine);
            Setting earlier = settings.get(setting.key());
            if (earlier != null) {
                problems.add(Problem.at(setting, "given twice (also at " + earlier.origin() + "); keep one"));
            } else {
                settings.put(setting.key(), setting);
            }
        }
        return new ArrayList<Setting>(settings.values());
    }

    /** The lines of the text, ended by \r\n, \r or \n; by hand, as it also runs in premain (no regex there). */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<String>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        lines.add(text.substring(start));
        return lines;
    }

    private static Setting split(String line, String origin) {
        int i = 0;
        StringBuilder key = new StringBuilder();
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                key.append(line, i, i + 2);
                i += 2;
                continue;
            }
            if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            }
            key.append(c);
            i++;
        }
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        if (i < line.length() && (line.charAt(i) == '=' || line.charAt(i) == ':')) {
            i++;
        }
        String value = stripInlineComment(line.substring(i)).trim();
        return new Setting(unescape(key.toString()), unescape(value), origin);
    }

    /** Cuts the value at the first unescaped {@code #} that follows whitespace. */
    private static String stripInlineComment(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '#' && i > 0 && Character.isWhitespace(value.charAt(i - 1))) {
                return value.substring(0, i);
            }
        }
        return value;
    }

    private static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 't':
                    out.append('\t');
                    break;
                case 'n':
                    out.append('\n');
                    break;
                case 'r':
                    out.append('\r');
                    break;
                case 'f':
                    out.append('\f');
                    break;
                case 'u':
                    if (i + 4 < text.length() && isHex(text.substring(i + 1, i + 5))) {
                        out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                        i += 4;
                    } else {
                        out.append('u');
                    }
                    break;
                default:
                    out.append(next);
            }
        }
        return out.toString();
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean endsWithContinuation(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static String stripLeading(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return line.substring(i);
    }
}
