package dev.bizmetrics.agent.sql;

/**
 * Splits a text into code tokens under one {@link Reading}, skipping whitespace and comments, or refuses it when it
 * cannot be read safely: something left open, a character the databases disagree on, or a spot where PostgreSQL's
 * JDBC driver (which splits statements itself) would read the text differently from the server.
 *
 * <p>One pass, left to right, every character looked at a bounded number of times: linear in the text.
 */
final class Lexer {

    /** More MySQL executable comments than this back to back are refused: each doubles the ways to read the text. */
    static final int EXECUTABLE_COMMENTS_IN_A_ROW = 8;

    private final String sql;
    private final Reading reading;
    private final int length;
    private final Tokens tokens;

    /** The executable comment being read, numbered from 1, or 0 outside any. */
    private int group;
    private int groups;
    private int groupStart;
    private int groupContentStart;
    private int groupFirstToken;
    private int groupsInARow;

    private Lexer(String sql, Reading reading) {
        this.sql = sql;
        this.reading = reading;
        this.length = sql.length();
        this.tokens = new Tokens(sql);
    }

    static Tokens tokens(String sql, Reading reading) throws Refusal {
        return new Lexer(sql, reading).run();
    }

    private Tokens run() throws Refusal {
        int i = 0;
        while (i < length) {
            char c = sql.charAt(i);
            char next = i + 1 < length ? sql.charAt(i + 1) : 0;
            if (isPlainSpace(c)) {
                i++;
            } else if (c == '-' && next == '-' && dashDashStartsComment(i)) {
                i = lineEnd(i + 2);
            } else if (c == '#' && reading.hashComments) {
                i = lineEnd(i + 1);
            } else if (c == '/' && next == '/' && reading.slashSlashComments) {
                i = lineEnd(i + 2);
            } else if (c == '/' && next == '*') {
                i = blockComment(i);
            } else if (c == '*' && next == '/' && group != 0) {
                closeGroup(i);
                i += 2;
            } else if (c == '\'') {
                i = string(i, i, reading.backslashInStrings);
            } else if (c == '"') {
                i = reading.doubleQuoteIsString ? string(i, i, reading.backslashInStrings) : quotedName(i, i, '"');
            } else if (c == '`' && reading.backticks) {
                i = quotedName(i, i, '`');
            } else if (c == '[' && reading.squareBrackets) {
                i = bracketedName(i);
            } else if (c == '$' && reading.dollar != Reading.Dollar.NONE) {
                i = dollar(i);
            } else if (isDigit(c) || (c == '.' && isDigit(next))) {
                i = number(i);
            } else if (isWordStart(i)) {
                i = wordOrPrefixedQuote(i);
            } else if (c >= 0x80 || c < ' ' || c == 0x7F) {
                throw unusualCharacter(i);
            } else {
                if (c == ';' && group != 0) {
                    throw new Refusal("a ; inside the executable comment at " + Where.at(sql, groupStart) + " under "
                            + reading.rules() + "; keep one statement and no ; inside /*! */");
                }
                add(Tokens.SYMBOL, i, i + 1, (char) 0);
                i++;
            }
        }
        if (group != 0) {
            throw unterminated("executable comment", groupStart, "close it with */");
        }
        return tokens;
    }

    private void add(byte kind, int from, int to, char quote) {
        if (group == 0) {
            groupsInARow = 0;
        }
        tokens.add(kind, from, to, group, quote);
    }

    // ---- whitespace and comments

    /** The whitespace every supported database agrees on; any other is refused outside strings and comments. */
    static boolean isPlainSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /**
     * A character some database reads as whitespace and another as part of a name (or an error): H2 skips every
     * Unicode space and control character, PostgreSQL and MySQL take anything past ASCII as a name character. Read
     * one way, {@code FOR\u00A0UPDATE} is a locking read, the other way it is a name; so such characters may appear
     * only inside strings, quoted names and comments.
     */
    static boolean isUnusual(int cp) {
        if (cp < 0x20) {
            return !isPlainSpace((char) cp);
        }
        if (cp == 0x7F) {
            return true;
        }
        if (cp < 0x80) {
            return false;
        }
        if (cp <= 0x9F) {
            return true;
        }
        return Character.isSpaceChar(cp) || Character.isWhitespace(cp) || Character.getType(cp) == Character.FORMAT;
    }

    private boolean dashDashStartsComment(int i) {
        if (!reading.dashDashNeedsSpace) {
            return true;
        }
        // MySQL: "--" is a comment only before whitespace, a control character or the end; 1--1 is arithmetic.
        if (i + 2 >= length) {
            return true;
        }
        char c = sql.charAt(i + 2);
        return c <= ' ' || c == 0x7F;
    }

    /** The index of the line end that closes a line comment (not consumed: it is whitespace), or the length. */
    private int lineEnd(int i) {
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '\n' || (c == '\r' && reading.lineCommentEndsAtCr)) {
                return i;
            }
            i++;
        }
        return length;
    }

    private int blockComment(int start) throws Refusal {
        if (group != 0) {
            // MySQL skips an executable comment it does not run up to its first */, allowing one nested comment:
            // a comment inside one would end it at different places in the two readings.
            throw new Refusal("a comment inside the executable comment at " + Where.at(sql, groupStart) + " under "
                    + reading.rules() + "; remove the inner /* */");
        }
        if (reading.executableComments && start + 2 < length
                && (sql.charAt(start + 2) == '!' || sql.startsWith("M!", start + 2))) {
            return openGroup(start);
        }
        if (!reading.nestedComments) {
            int close = sql.indexOf("*/", start + 2);
            if (close < 0) {
                throw unterminated("comment", start, "close it with */");
            }
            return close + 2;
        }
        int depth = 1;
        int i = start + 2;
        while (i + 1 < length) {
            char c = sql.charAt(i);
            char next = sql.charAt(i + 1);
            if (c == '/' && next == '*') {
                depth++;
                i += 2;
            } else if (c == '*' && next == '/') {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        throw unterminated("comment", start, "close it with */, minding that these rules nest /* */ comments");
    }

    /**
     * {@code /*!}, {@code /*!50001}, {@code /*M!}, {@code /*M!100100}: MySQL and MariaDB run the content as code, or
     * skip it as a comment when the version (or, for M!, the server) does not match. The content is read as code
     * and its tokens marked, so that the checks also see the text with any of these comments left out.
     */
    private int openGroup(int start) {
        int i = start + (sql.charAt(start + 2) == '!' ? 3 : 4);
        int digits = 0;
        while (i < length && digits < 6 && isDigit(sql.charAt(i))) {
            i++;
            digits++;
        }
        groups++;
        group = groups;
        groupStart = start;
        groupContentStart = i;
        groupFirstToken = tokens.size();
        return i;
    }

    private void closeGroup(int close) throws Refusal {
        // Read as a comment, the content ends at its first */; read as code, here. They must be the same place, or
        // the two readings part ways after it.
        for (int i = groupContentStart; i + 1 < close; i++) {
            char c = sql.charAt(i);
            char next = sql.charAt(i + 1);
            if ((c == '*' && next == '/') || (c == '/' && next == '*')) {
                throw new Refusal("the executable comment at " + Where.at(sql, groupStart) + " holds " + c + next
                        + " inside a string or comment under " + reading.rules()
                        + ", so it ends at different places when run and when skipped; remove it");
            }
        }
        if (tokens.size() > groupFirstToken) {
            groupsInARow++;
            if (groupsInARow > EXECUTABLE_COMMENTS_IN_A_ROW) {
                throw new Refusal("more than " + EXECUTABLE_COMMENTS_IN_A_ROW
                        + " executable comments in a row, the last at " + Where.at(sql, groupStart) + " under "
                        + reading.rules() + "; write their content as plain SQL");
            }
        }
        group = 0;
    }

    // ---- strings and quoted names

    /** A {@code '...'} or {@code "..."} string whose opening quote is at {@code quoteAt}; returns its end. */
    private int string(int tokenStart, int quoteAt, boolean backslash) throws Refusal {
        char q = sql.charAt(quoteAt);
        int i = quoteAt + 1;
        while (i < length) {
            char c = sql.charAt(i);
            if (backslash && c == '\\') {
                i += 2;
            } else if (c == q) {
                if (i + 1 < length && sql.charAt(i + 1) == q) {
                    i += 2;
                } else {
                    add(Tokens.STRING, tokenStart, i + 1, (char) 0);
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        throw unterminated("string", tokenStart, backslash
                ? "close it, minding that these rules read a backslash in a string as an escape"
                : "close it");
    }

    private int quotedName(int tokenStart, int quoteAt, char q) throws Refusal {
        int i = quoteAt + 1;
        while (i < length) {
            if (sql.charAt(i) == q) {
                if (i + 1 < length && sql.charAt(i + 1) == q) {
                    i += 2;
                } else {
                    add(Tokens.QUOTED_NAME, tokenStart, i + 1, tokenStart == quoteAt ? q : 'U');
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        throw unterminated("quoted name", tokenStart, "close it with " + q);
    }

    /** H2 in MSSQLServer mode: {@code [name]}, closed by the first ]. */
    private int bracketedName(int start) throws Refusal {
        int close = sql.indexOf(']', start + 1);
        if (close < 0) {
            throw unterminated("[quoted name]", start, "close it with ]");
        }
        add(Tokens.QUOTED_NAME, start, close + 1, '[');
        return close + 1;
    }

    private int dollar(int start) throws Refusal {
        char next = start + 1 < length ? sql.charAt(start + 1) : 0;
        if (isDigit(next)) {
            int i = start + 1;
            while (i < length && isDigit(sql.charAt(i))) {
                i++;
            }
            add(Tokens.PARAMETER, start, i, (char) 0);
            return i;
        }
        String tag = null;
        if (next == '$') {
            tag = "$$";
        } else if (reading.dollar == Reading.Dollar.TAGGED && isTagStart(next)) {
            int i = start + 2;
            while (i < length && isTagPart(sql.charAt(i))) {
                i++;
            }
            if (i < length && sql.charAt(i) == '$') {
                tag = sql.substring(start, i + 1);
            }
        }
        if (tag == null) {
            // PostgreSQL reads "$abc" not followed by $ as "$" and a name.
            add(Tokens.SYMBOL, start, start + 1, (char) 0);
            return start + 1;
        }
        if (reading.postgresPrefixes && start > 0 && isPostgresNamePart(sql.charAt(start - 1))) {
            // The server opens a dollar quote after a number or a parameter ("1$$", "$1$$"); PostgreSQL's JDBC
            // driver, which splits statements at ; itself, does not, and would split inside it.
            throw new Refusal("the dollar quote " + tag + " at " + Where.at(sql, start) + " under "
                    + reading.rules() + " directly follows '" + sql.charAt(start - 1)
                    + "': PostgreSQL and its JDBC driver read it differently; put a space before it");
        }
        int close = sql.indexOf(tag, start + tag.length());
        if (close < 0) {
            throw unterminated("dollar quote " + tag, start, "close it with " + tag);
        }
        add(Tokens.STRING, start, close + tag.length(), (char) 0);
        return close + tag.length();
    }

    // ---- numbers, words and the quotes a letter opens

    private int number(int start) {
        int i = start;
        while (i < length && (isDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        if (i < length && sql.charAt(i) == '.') {
            i++;
            while (i < length && (isDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
                i++;
            }
        }
        if (i + 1 < length && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
            int j = i + 1;
            if (j + 1 < length && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
                j++;
            }
            if (isDigit(sql.charAt(j))) {
                i = j;
                while (i < length && isDigit(sql.charAt(i))) {
                    i++;
                }
            }
        }
        if (reading.dialect == Dialect.MYSQL && i < length && isWordPart(i)) {
            // MySQL names may start with digits: 1abc is one name.
            return word(start, i);
        }
        add(Tokens.NUMBER, start, i, (char) 0);
        return i;
    }

    private int wordOrPrefixedQuote(int start) throws Refusal {
        char c = sql.charAt(start);
        char next = start + 1 < length ? sql.charAt(start + 1) : 0;
        char third = start + 2 < length ? sql.charAt(start + 2) : 0;
        if (reading.postgresPrefixes) {
            if ((c == 'E' || c == 'e') && next == '\'') {
                checkDriverSeesEscapeString(start);
                return string(start, start + 1, true);
            }
            if ((c == 'U' || c == 'u') && next == '&' && third == '\'') {
                // With standard_conforming_strings=off the server refuses U&'...', but the JDBC driver, splitting
                // first, reads it as an ordinary string; so read it as the driver does.
                return string(start, start + 2, reading.backslashInStrings);
            }
            if ((c == 'U' || c == 'u') && next == '&' && third == '"') {
                return quotedName(start, start + 2, '"');
            }
            if ((c == 'B' || c == 'b' || c == 'X' || c == 'x') && next == '\'') {
                return bitString(start);
            }
        }
        if (reading.oracleQuotes) {
            if ((c == 'Q' || c == 'q') && next == '\'') {
                return oracleQuote(start, start + 1);
            }
            if ((c == 'N' || c == 'n') && (next == 'Q' || next == 'q') && third == '\'') {
                return oracleQuote(start, start + 2);
            }
        }
        if (reading.dialect == Dialect.H2 && (c == 'U' || c == 'u') && next == '&' && third == '"') {
            return quotedName(start, start + 2, '"');
        }
        return word(start, start);
    }

    /** A name or keyword from {@code start}, whose characters up to {@code from} are already known to belong. */
    private int word(int start, int from) {
        int i = from;
        while (i < length && isWordPart(i)) {
            i += Character.charCount(sql.codePointAt(i));
        }
        add(Tokens.WORD, start, i, (char) 0);
        return i;
    }

    /**
     * PostgreSQL's JDBC driver splits statements at ; itself and takes {@code E'} as an escape string only after a
     * space, a quote or an operator character; the server takes it wherever a token starts (after a number, after
     * a string). Where they differ, the two would find different ends for the string.
     */
    private void checkDriverSeesEscapeString(int start) throws Refusal {
        char before = start > 0 ? sql.charAt(start - 1) : 0;
        boolean driverSeesIt = start > 0 && (before == '"' || before == ' ' || before == '\t' || before == '\n'
                || before == '\r' || before == '\f' || ",()[].;:+-*/%^<>=~!@#&|`?".indexOf(before) >= 0);
        if (!driverSeesIt) {
            throw new Refusal("the E'...' string at " + Where.at(sql, start) + " under " + reading.rules()
                    + (start > 0 ? " directly follows '" + before + "'" : " opens the text")
                    + ": PostgreSQL and its JDBC driver read it differently; put a space before the E");
        }
    }

    /** PostgreSQL {@code B'...'} and {@code X'...'}: never backslash escapes, whatever the setting. */
    private int bitString(int start) throws Refusal {
        int close = sql.indexOf('\'', start + 2);
        if (close < 0) {
            throw unterminated("string", start, "close it");
        }
        int backslash = start + 2;
        while (backslash < close && sql.charAt(backslash) != '\\') {
            backslash++;
        }
        if (backslash < close) {
            // With standard_conforming_strings=off the JDBC driver would take it as an escape, the server not.
            throw new Refusal("a backslash in the bit string at " + Where.at(sql, start) + " under "
                    + reading.rules() + ": the server and its JDBC driver read it differently; remove it");
        }
        add(Tokens.STRING, start, close + 1, (char) 0);
        return close + 1;
    }

    /** Oracle {@code q'[...]'}, {@code q'{...}'}, {@code q'(...)'}, {@code q'<...>'}, {@code q'X...X'}. */
    private int oracleQuote(int start, int quoteAt) throws Refusal {
        if (quoteAt + 1 >= length) {
            throw unterminated("q'...' string", start, "close it");
        }
        char open = sql.charAt(quoteAt + 1);
        if (isPlainSpace(open) || isUnusual(open) || Character.isSurrogate(open)) {
            throw new Refusal("the q'...' string at " + Where.at(sql, start) + " under " + reading.rules()
                    + " has no usable delimiter; use one of [ { ( < or a printable character");
        }
        char close = open == '[' ? ']' : open == '{' ? '}' : open == '(' ? ')' : open == '<' ? '>' : open;
        int i = quoteAt + 2;
        while (i + 1 < length) {
            if (sql.charAt(i) == close && sql.charAt(i + 1) == '\'') {
                add(Tokens.STRING, start, i + 2, (char) 0);
                return i + 2;
            }
            i++;
        }
        throw unterminated("q'" + open + "...' string", start, "close it with " + close + "'");
    }

    // ---- character classes

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private boolean isWordStart(int i) {
        char c = sql.charAt(i);
        if (isAsciiLetter(c) || c == '_') {
            return true;
        }
        if (c == '$') {
            return reading.dialect == Dialect.MYSQL;
        }
        // Past ASCII every database takes a character as part of a name (or refuses it); surrogates come in pairs
        // here, as StatementCheck refuses unpaired ones first.
        return c >= 0x80 && !isUnusual(sql.codePointAt(i));
    }

    private boolean isWordPart(int i) {
        char c = sql.charAt(i);
        if (isAsciiLetter(c) || isDigit(c) || c == '_' || c == '$') {
            return true;
        }
        if (c == '#') {
            return reading.poundInNames;
        }
        return c >= 0x80 && !isUnusual(sql.codePointAt(i));
    }

    /** PostgreSQL's name characters after the first, which its JDBC driver uses to tell quotes apart. */
    private static boolean isPostgresNamePart(char c) {
        return isAsciiLetter(c) || isDigit(c) || c == '_' || c == '$' || c > 127;
    }

    private static boolean isTagStart(char c) {
        return isAsciiLetter(c) || c == '_' || c > 127;
    }

    private static boolean isTagPart(char c) {
        return isTagStart(c) || isDigit(c);
    }

    // ---- refusals

    private Refusal unterminated(String what, int start, String advice) {
        return new Refusal("an unterminated " + what + " starting at " + Where.at(sql, start) + " under "
                + reading.rules() + " (" + Where.quote(sql, start) + "); " + advice);
    }

    private Refusal unusualCharacter(int i) {
        int cp = sql.codePointAt(i);
        String name = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ? "a control character" : "a space or "
                + "invisible character";
        return new Refusal(String.format("%s (U+%04X) at %s outside any string or comment under %s: the databases "
                + "disagree on whether it separates words; write a plain space or remove it", name, cp,
                Where.at(sql, i), reading.rules()));
    }
}
