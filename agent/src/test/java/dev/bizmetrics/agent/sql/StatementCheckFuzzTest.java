package dev.bizmetrics.agent.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 20,000 random and mutated texts (fixed seed): the check never throws and never hangs, and whatever passes holds no
 * second statement under any reading of a simple, independent scanner of each database's rules.
 */
class StatementCheckFuzzTest {

    private static final String[] FRAGMENTS = {
        "SELECT ", "1", " ", "  ", "\n", "\r", "\r\n", "\t", ";", "; ", "'", "''", "\"", "\"\"", "`", "[", "]", "$",
        "$$", "$a$", "$b$", "$1", "E'", "e'", "U&'", "U&\"", "B'", "X'", "N'", "q'[", "]'", "q'{", "}'", "Q'!", "!'",
        "nq'<", ">'", "q'(", ")'", "\\", "\\'", "\\\\", "--", "-- ", "--x", "#", "# ", "//", "/*", "*/", "/* ",
        " */", "/*!", "/*!50001 ", "/*!99999 ", "/*M!", "/*M!100100 ", "/*+", "DELETE FROM t", "FOR UPDATE", "FOR",
        "UPDATE", "COMMIT", "pg_advisory_lock(1)", "GET_LOCK('a',1)", "@x := 1", "@x", ":=", "(", ")", "x", "t",
        "客", "\u00A0", ",", "SELECT 1", "::", "INTO", "1--1", "a$b", "1$$", "WITH", "VALUES", "AS", "FROM", "*",
        ".", "NEXTVAL", "DBMS_LOCK.SLEEP(1)", "SET", "\u3000", "\u200B", "\u0001"
    };

    private static final String[] SEEDS = {
        "SELECT 1", "SELECT count(*) FROM t WHERE a = 'x;y'", "SELECT $$a$$ AS d", "SELECT 'it''s'",
        "SELECT 1 /* c */ -- d\n", "SELECT q'[x]' FROM dual", "SELECT `a` FROM t", "SELECT \"a\" FROM t",
        "WITH a AS (SELECT 1) SELECT * FROM a;", "SELECT E'\\n'", "SELECT 1 # c\n", "SELECT 1 // c\n",
        "SELECT /*! 1 */", "SELECT 1; -- x", "(VALUES (1));", "SELECT $t$;$t$"
    };

    @Test
    void randomTextsNeverBreakTheCheckAndWhatPassesHoldsOneStatement() {
        Random random = new Random(20_261_201L);
        List<String> inputs = new ArrayList<>();
        for (int n = 0; n < 20_000; n++) {
            inputs.add(input(random));
        }
        int[] passed = new int[1];
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (String sql : inputs) {
                for (boolean allowAnySql : new boolean[] {false, true}) {
                    Verdict everywhere = StatementCheck.checkEveryDialect(sql, allowAnySql);
                    if (everywhere.passed()) {
                        passed[0]++;
                        for (ScannerReading reading : ScannerReading.ALL) {
                            assertThat(reading.hasSecondStatement(sql)).as("%s under %s", show(sql), reading)
                                    .isFalse();
                        }
                        assertThat(everywhere.statement()).isNotNull();
                        if (everywhere.isQuery()) {
                            // The runner wraps a query; the wrapped text must read as the same one statement.
                            String wrapped = "SELECT * FROM (\n" + everywhere.statement() + "\n) bizmetrics_q";
                            Verdict again = StatementCheck.checkEveryDialect(wrapped, allowAnySql);
                            assertThat(again.passed()).as("%s wrapped: %s", show(sql), again.problem()).isTrue();
                            assertThat(again.statement()).isEqualTo(wrapped);
                        }
                    } else {
                        assertThat(everywhere.problem()).isNotBlank().hasSizeLessThanOrEqualTo(300);
                    }
                    for (Dialect dialect : Dialect.values()) {
                        Verdict verdict = StatementCheck.check(sql, allowAnySql, dialect);
                        if (verdict.passed()) {
                            for (ScannerReading reading : ScannerReading.ALL) {
                                if (reading.dialect == dialect) {
                                    assertThat(reading.hasSecondStatement(sql))
                                            .as("%s under %s", show(sql), reading).isFalse();
                                }
                            }
                        }
                    }
                }
            }
        });
        System.out.println(passed[0] + " of " + 2 * inputs.size() + " checks passed under every dialect");
        // The property is only worth something if many inputs pass.
        assertThat(passed[0]).isGreaterThan(3_000);
    }

    private static String input(Random random) {
        int kind = random.nextInt(10);
        StringBuilder out = new StringBuilder();
        if (kind < 5) {
            out.append(SEEDS[random.nextInt(SEEDS.length)]);
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(out.length() + 1);
                if (random.nextInt(4) == 0 && at < out.length()) {
                    out.deleteCharAt(at);
                } else {
                    out.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                }
            }
        } else if (kind < 8) {
            out.append("SELECT ");
            int parts = 1 + random.nextInt(12);
            for (int p = 0; p < parts; p++) {
                out.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            }
        } else {
            String alphabet = "S1 ;'\"`$E\\-#/*!\n\rq[]{}()<>:=@xM";
            int length = random.nextInt(30);
            out.append("SELECT ");
            for (int c = 0; c < length; c++) {
                out.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        return out.toString();
    }

    private static String show(String sql) {
        return "<" + sql.replace("\n", "\\n").replace("\r", "\\r") + ">";
    }

    /**
     * An independent reading of one database's rules, as a plain character scanner written from the documentation:
     * does a ; outside strings and comments have code after it? Deliberately not sharing code with the lexer.
     */
    static final class ScannerReading {
        final Dialect dialect;
        final String name;
        boolean backslash;
        boolean doubleQuoteString;
        boolean backtick;
        boolean brackets;
        boolean hash;
        boolean slashSlash;
        boolean dashNeedsSpace;
        boolean crEndsComment;
        boolean nested;
        boolean executableAsCode;
        boolean executableAsComment;
        boolean dollarTags;
        boolean dollarPlain;
        boolean escapeStrings;
        boolean qQuotes;

        ScannerReading(Dialect dialect, String name) {
            this.dialect = dialect;
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }

        static final List<ScannerReading> ALL = new ArrayList<>();

        static {
            for (boolean scsOff : new boolean[] {false, true}) {
                ScannerReading r = new ScannerReading(Dialect.POSTGRESQL, "PostgreSQL scs " + (scsOff ? "off" : "on"));
                r.backslash = scsOff;
                r.crEndsComment = true;
                r.nested = true;
                r.dollarTags = true;
                r.escapeStrings = true;
                ALL.add(r);
            }
            for (boolean noBackslash : new boolean[] {false, true}) {
                for (boolean ansi : new boolean[] {false, true}) {
                    for (boolean run : new boolean[] {false, true}) {
                        ScannerReading r = new ScannerReading(Dialect.MYSQL, "MySQL" + (noBackslash ? " NBE" : "")
                                + (ansi ? " ANSI" : "") + (run ? " runs /*!" : " skips /*!"));
                        r.backslash = !noBackslash;
                        r.doubleQuoteString = !ansi;
                        r.backtick = true;
                        r.hash = true;
                        r.dashNeedsSpace = true;
                        r.executableAsCode = run;
                        r.executableAsComment = !run;
                        ALL.add(r);
                    }
                }
            }
            for (boolean cr : new boolean[] {false, true}) {
                ScannerReading r = new ScannerReading(Dialect.ORACLE, "Oracle" + (cr ? " CR" : ""));
                r.crEndsComment = cr;
                r.qQuotes = true;
                ALL.add(r);
            }
            for (boolean nested : new boolean[] {false, true}) {
                for (boolean brackets : new boolean[] {false, true}) {
                    ScannerReading r = new ScannerReading(Dialect.H2, "H2" + (nested ? " nested" : "")
                            + (brackets ? " [names]" : ""));
                    r.backtick = true;
                    r.brackets = brackets;
                    r.slashSlash = true;
                    r.crEndsComment = true;
                    r.nested = nested;
                    r.dollarPlain = true;
                    ALL.add(r);
                }
            }
        }

        boolean hasSecondStatement(String s) {
            boolean afterSemicolon = false;
            boolean inExecutable = false;
            int numberEnd = -1;
            int i = 0;
            int length = s.length();
            while (i < length) {
                char c = s.charAt(i);
                char next = i + 1 < length ? s.charAt(i + 1) : 0;
                if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                    i++;
                    continue;
                }
                boolean dashComment = c == '-' && next == '-'
                        && (!dashNeedsSpace || i + 2 >= length || s.charAt(i + 2) <= ' ');
                if (dashComment || (hash && c == '#') || (slashSlash && c == '/' && next == '/')) {
                    while (i < length && s.charAt(i) != '\n' && !(crEndsComment && s.charAt(i) == '\r')) {
                        i++;
                    }
                    continue;
                }
                if (c == '/' && next == '*') {
                    boolean executable = s.startsWith("/*!", i) || s.startsWith("/*M!", i);
                    if (executable && executableAsCode && !inExecutable) {
                        i += s.startsWith("/*!", i) ? 3 : 4;
                        inExecutable = true;
                        continue;
                    }
                    i = skipComment(s, i, nested && !(executable && executableAsComment));
                    if (i < 0) {
                        return false;
                    }
                    continue;
                }
                if (inExecutable && c == '*' && next == '/') {
                    inExecutable = false;
                    i += 2;
                    continue;
                }
                if (afterSemicolon) {
                    return true;
                }
                if (c == ';') {
                    afterSemicolon = true;
                    i++;
                    continue;
                }
                boolean tokenStart = i == 0 || !isNameChar(s.charAt(i - 1)) || numberEnd == i;
                int end;
                if (c == '\'') {
                    end = closeQuote(s, i, '\'', backslash);
                } else if (c == '"') {
                    end = closeQuote(s, i, '"', doubleQuoteString && backslash);
                } else if (c == '`' && backtick) {
                    end = closeQuote(s, i, '`', false);
                } else if (c == '[' && brackets) {
                    end = s.indexOf(']', i + 1) + 1;
                } else if (escapeStrings && tokenStart && (c == 'E' || c == 'e') && next == '\'') {
                    end = closeQuote(s, i + 1, '\'', true);
                } else if (qQuotes && tokenStart && (c == 'q' || c == 'Q') && next == '\'') {
                    end = closeQQuote(s, i + 1);
                } else if (qQuotes && tokenStart && (c == 'n' || c == 'N') && (next == 'q' || next == 'Q')
                        && i + 2 < length && s.charAt(i + 2) == '\'') {
                    end = closeQQuote(s, i + 2);
                } else if (c == '$' && (dollarTags || dollarPlain) && tokenStart) {
                    end = closeDollar(s, i);
                } else if (Character.isDigit(c) && dialect != Dialect.MYSQL) {
                    // Outside MySQL a name cannot start with a digit: 1$$ is a number and a dollar quote.
                    end = i + 1;
                    while (end < length && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '.')) {
                        end++;
                    }
                    numberEnd = end;
                } else {
                    end = i + 1;
                    while (end < length && isNameChar(s.charAt(end)) && isNameChar(c)) {
                        end++;
                    }
                }
                if (end <= 0) {
                    return false;
                }
                i = end;
            }
            return false;
        }

        private boolean isNameChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127;
        }

        private static int skipComment(String s, int i, boolean nesting) {
            int depth = 0;
            while (i + 1 < s.length()) {
                if (s.charAt(i) == '/' && s.charAt(i + 1) == '*' && (nesting || depth == 0)) {
                    depth++;
                    i += 2;
                } else if (s.charAt(i) == '*' && s.charAt(i + 1) == '/') {
                    depth--;
                    i += 2;
                    if (depth == 0) {
                        return i;
                    }
                } else {
                    i++;
                }
            }
            return -1;
        }

        private static int closeQuote(String s, int open, char q, boolean backslash) {
            for (int i = open + 1; i < s.length(); i++) {
                char c = s.charAt(i);
                if (backslash && c == '\\') {
                    i++;
                } else if (c == q) {
                    if (i + 1 < s.length() && s.charAt(i + 1) == q) {
                        i++;
                    } else {
                        return i + 1;
                    }
                }
            }
            return -1;
        }

        private static int closeQQuote(String s, int quote) {
            if (quote + 1 >= s.length()) {
                return -1;
            }
            char open = s.charAt(quote + 1);
            char close = switch (open) {
                case '[' -> ']';
                case '{' -> '}';
                case '(' -> ')';
                case '<' -> '>';
                default -> open;
            };
            int end = s.indexOf(close + "'", quote + 2);
            return end < 0 ? -1 : end + 2;
        }

        private int closeDollar(String s, int i) {
            int tagEnd = i + 1;
            if (dollarTags) {
                while (tagEnd < s.length() && (Character.isLetter(s.charAt(tagEnd)) || s.charAt(tagEnd) == '_'
                        || s.charAt(tagEnd) > 127 || (tagEnd > i + 1 && Character.isDigit(s.charAt(tagEnd))))) {
                    tagEnd++;
                }
            }
            if (tagEnd >= s.length() || s.charAt(tagEnd) != '$') {
                return i + 1;
            }
            String tag = s.substring(i, tagEnd + 1);
            int close = s.indexOf(tag, tagEnd + 1);
            return close < 0 ? -1 : close + tag.length();
        }
    }
}
