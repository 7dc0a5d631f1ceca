package dev.bizmetrics.agent.sql;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The check of one statement under one {@link Reading}: one statement, no locking read, no session statement, no
 * refused function, and, unless allow-any-sql, a read-only query. Works on the code tokens, so that strings,
 * quoted names and comments never count.
 *
 * <p>MySQL executable comments ({@code /*!50001 ...*}{@code /}) run or not depending on the server, each on its own;
 * so wherever a rule looks at "the next token", it also looks past any such comment right after (see
 * {@link #next(int)}): {@code LOAD_FILE /*!99999 x *}{@code / ('/etc/passwd')} is a call on an older server.
 */
final class Inspection {

    /** Where the statement ends in the text (its terminating ; or the text's end), and whether it is a query. */
    static final class Result {
        final int end;
        final boolean isQuery;

        Result(int end, boolean isQuery) {
            this.end = end;
            this.isQuery = isQuery;
        }
    }

    private static final String EVEN_WITH_ANY_SQL = "(refused even with allow-any-sql=true)";

    private final String sql;
    private final Reading reading;
    private final boolean allowAnySql;
    private Tokens t;
    /** The statement's tokens are [0, n): those before its terminating ;. */
    private int n;
    private boolean hasGroups;
    /** By executable comment number: the index of its last token. */
    private int[] groupEnd;

    private Inspection(String sql, boolean allowAnySql, Reading reading) {
        this.sql = sql;
        this.reading = reading;
        this.allowAnySql = allowAnySql;
    }

    static Result inspect(String sql, boolean allowAnySql, Reading reading) throws Refusal {
        return new Inspection(sql, allowAnySql, reading).run();
    }

    private Result run() throws Refusal {
        t = Lexer.tokens(sql, reading);
        int size = t.size();
        int semicolon = -1;
        for (int i = 0; i < size && semicolon < 0; i++) {
            if (t.isSymbol(i, ';')) {
                semicolon = i;
            }
        }
        if (semicolon >= 0 && semicolon + 1 < size) {
            throw new Refusal("a second statement after the ; at " + Where.at(sql, t.start(semicolon)) + " under "
                    + reading.rules() + " (" + Where.quote(sql, t.start(semicolon + 1))
                    + "); keep one statement (a trailing ; and comments after it are fine)");
        }
        n = semicolon >= 0 ? semicolon : size;
        if (n == 0) {
            throw new Refusal(semicolon >= 0 ? "nothing but comments before the ; at "
                    + Where.at(sql, t.start(semicolon)) + " under " + reading.rules() + "; write a SELECT statement"
                    : "the SQL holds only comments under " + reading.rules() + "; write a SELECT statement");
        }
        indexGroups();
        checkLockingReads();
        List<Integer> firsts = firstTokens();
        checkSessionStatements(firsts);
        checkFunctions();
        if (!allowAnySql) {
            checkStatementKind(firsts);
        }
        boolean isQuery = !firsts.isEmpty();
        for (int first : firsts) {
            isQuery &= t.kind(first) == Tokens.WORD && StatementRules.isQueryStart(upper(first));
        }
        return new Result(semicolon >= 0 ? t.start(semicolon) : sql.length(), isQuery);
    }

    // ---- the rules

    private void checkLockingReads() throws Refusal {
        for (int i = 0; i < n; i++) {
            if (!t.isWord(i, "FOR") && !t.isWord(i, "LOCK")) {
                continue;
            }
            for (String[] words : StatementRules.LOCKING_READS) {
                if (t.isWord(i, words[0]) && follows(i, words, 1)) {
                    throw new Refusal(join(words) + " at " + Where.at(sql, t.start(i)) + " under " + reading.rules()
                            + " is a locking read, holding row locks the host may be waiting for; remove it "
                            + EVEN_WITH_ANY_SQL);
                }
            }
        }
    }

    private void checkSessionStatements(List<Integer> firsts) throws Refusal {
        for (int first : firsts) {
            if (t.kind(first) != Tokens.WORD) {
                continue;
            }
            String word = upper(first);
            String reason = StatementRules.SESSION_STATEMENTS.get(word);
            if (reason == null && word.equals("ALTER")) {
                for (Map.Entry<String, String> second : StatementRules.ALTER_STATEMENTS.entrySet()) {
                    if (follows(first, new String[] {"ALTER", second.getKey()}, 1)) {
                        word = "ALTER " + second.getKey();
                        reason = second.getValue();
                    }
                }
            }
            if (reason != null) {
                throw new Refusal("the statement starts with " + word + " under " + reading.rules() + ", which "
                        + reason + "; remove it " + EVEN_WITH_ANY_SQL);
            }
        }
    }

    private void checkFunctions() throws Refusal {
        Dialect dialect = reading.dialect;
        boolean references = RefusedFunctions.hasReferences(dialect);
        RefusedFunctions.Entry nextValueFor = RefusedFunctions.form(dialect, RefusedFunctions.NEXT_VALUE_FOR);
        RefusedFunctions.Entry previousValueFor = RefusedFunctions.form(dialect,
                RefusedFunctions.PREVIOUS_VALUE_FOR);
        RefusedFunctions.Entry dotNextval = RefusedFunctions.form(dialect, RefusedFunctions.DOT_NEXTVAL);
        RefusedFunctions.Entry userVariable = RefusedFunctions.form(dialect, RefusedFunctions.USER_VARIABLE);
        RefusedFunctions.Entry intoFile = RefusedFunctions.form(dialect, RefusedFunctions.INTO_FILE);
        RefusedFunctions.Entry intoVariable = RefusedFunctions.form(dialect, RefusedFunctions.INTO_VARIABLE);
        for (int i = 0; i < n; i++) {
            byte kind = t.kind(i);
            if (kind == Tokens.WORD || kind == Tokens.QUOTED_NAME) {
                if (references) {
                    RefusedFunctions.Entry entry = find(dialect, i);
                    if (entry != null && entry.form() == RefusedFunctions.Form.REFERENCE) {
                        throw refused(entry, displayName(i), i);
                    }
                }
                int last = lastOfName(i);
                if (anyNextIs(last, '(')) {
                    RefusedFunctions.Entry entry = find(dialect, i);
                    if (entry != null && (entry.form() == RefusedFunctions.Form.CALL
                            || (entry.form() == RefusedFunctions.Form.CALL_WITH_ARGUMENTS && hasArguments(last)))) {
                        throw refused(entry, displayName(i) + "(...)", i);
                    }
                }
                if (kind != Tokens.WORD) {
                    continue;
                }
                if (nextValueFor != null && t.isWord(i, "NEXT") && follows(i, words("NEXT VALUE FOR"), 1)) {
                    throw refused(nextValueFor, nextValueFor.name(), i);
                }
                if (previousValueFor != null && t.isWord(i, "PREVIOUS")
                        && follows(i, words("PREVIOUS VALUE FOR"), 1)) {
                    throw refused(previousValueFor, previousValueFor.name(), i);
                }
                if (intoFile != null && t.isWord(i, "INTO")) {
                    if (follows(i, words("INTO OUTFILE"), 1)) {
                        throw refused(intoFile, "INTO OUTFILE", i);
                    }
                    if (follows(i, words("INTO DUMPFILE"), 1)) {
                        throw refused(intoFile, "INTO DUMPFILE", i);
                    }
                    if (follows(i, words("INTO @"), 1)) {
                        throw refused(intoVariable, intoVariable.name(), i);
                    }
                }
            } else if (kind == Tokens.SYMBOL) {
                if (dotNextval != null && t.isSymbol(i, '.') && follows(i, words(". NEXTVAL"), 1)) {
                    throw refused(dotNextval, ".NEXTVAL", i);
                }
                if (userVariable != null && t.isSymbol(i, '@') && assignsUserVariable(i)) {
                    throw refused(userVariable, Where.quote(sql, t.start(i)), i);
                }
            }
        }
    }

    private void checkStatementKind(List<Integer> firsts) throws Refusal {
        if (firsts.isEmpty()) {
            throw new Refusal("the statement under " + reading.rules()
                    + " has no SELECT, WITH or VALUES; rewrite it as a query, or set allow-any-sql=true");
        }
        for (int first : firsts) {
            if (t.kind(first) != Tokens.WORD || !StatementRules.isQueryStart(upper(first))) {
                String what = t.kind(first) == Tokens.WORD ? upper(first) : Where.quote(sql, t.start(first));
                throw new Refusal("the statement starts with " + what + " under " + reading.rules()
                        + "; only SELECT, WITH and VALUES queries run: rewrite it as a query, or set "
                        + "allow-any-sql=true");
            }
        }
        for (int i = 0; i < n; i++) {
            String word = t.kind(i) == Tokens.WORD ? StatementRules.changingWord(sql, t.start(i), t.end(i)) : null;
            if (word == null || isBacktickedForMySql(i)) {
                continue;
            }
            String reason = StatementRules.CHANGING_WORDS.get(word);
            if ((word.equals("REPLACE") && !follows(i, words("REPLACE INTO"), 1))
                    || (word.equals("TRUNCATE") && allNextAre(i, '('))) {
                continue;
            }
            throw new Refusal(word + " at " + Where.at(sql, t.start(i)) + " under " + reading.rules() + " " + reason
                    + "; only read-only queries run: remove it, or set allow-any-sql=true");
        }
    }

    /**
     * {@code `delete`} read by rules without backtick names (PostgreSQL, Oracle): a backtick there is an operator
     * character or an error, so a word glued between two can never act as a keyword. Letting it pass is what lets
     * a MySQL user name a column {@code `delete`} and still pass the check under every dialect.
     */
    private boolean isBacktickedForMySql(int i) {
        return !reading.backticks && i > 0 && i + 1 < n && t.isSymbol(i - 1, '`') && t.isSymbol(i + 1, '`')
                && t.end(i - 1) == t.start(i) && t.end(i) == t.start(i + 1);
    }

    private Refusal refused(RefusedFunctions.Entry entry, String found, int at) {
        String shown = found.length() > Where.QUOTE_LENGTH ? found.substring(0, Where.QUOTE_LENGTH) + "\u2026" : found;
        return new Refusal(shown + " at " + Where.at(sql, t.start(at)) + " under " + reading.rules() + " "
                + entry.reason() + "; remove it " + EVEN_WITH_ANY_SQL);
    }

    // ---- reading the tokens

    /**
     * The indices that may come right after token {@code i} ({@code -1}: the start), in some reading of the
     * executable comments: the next token, and past each executable comment that starts there. {@code n} stands
     * for "nothing more".
     */
    private int[] next(int i) {
        int j = i + 1;
        if (!hasGroups) {
            return new int[] {j < n ? j : n};
        }
        int[] out = new int[Lexer.EXECUTABLE_COMMENTS_IN_A_ROW + 2];
        int count = 0;
        while (true) {
            if (j >= n) {
                out[count++] = n;
                break;
            }
            out[count++] = j;
            int group = t.group(j);
            if (group == 0 || (i >= 0 && t.group(i) == group)) {
                break;
            }
            j = groupEnd[group] + 1;
        }
        return Arrays.copyOf(out, count);
    }

    /** True when after token {@code i} the words from {@code words[k]} on follow, in some reading. */
    private boolean follows(int i, String[] words, int k) {
        if (!hasGroups) {
            for (int j = i + 1; k < words.length; j++, k++) {
                if (j >= n || !matches(j, words[k])) {
                    return false;
                }
            }
            return true;
        }
        if (k == words.length) {
            return true;
        }
        for (int j : next(i)) {
            if (j < n && matches(j, words[k]) && follows(j, words, k + 1)) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(int i, String word) {
        char c = word.charAt(0);
        if (word.length() == 1 && !(c >= 'A' && c <= 'Z')) {
            return t.isSymbol(i, c);
        }
        return t.isWord(i, word);
    }

    private boolean anyNextIs(int i, char symbol) {
        if (!hasGroups) {
            return i + 1 < n && t.isSymbol(i + 1, symbol);
        }
        for (int j : next(i)) {
            if (j < n && t.isSymbol(j, symbol)) {
                return true;
            }
        }
        return false;
    }

    private boolean allNextAre(int i, char symbol) {
        if (!hasGroups) {
            return i + 1 < n && t.isSymbol(i + 1, symbol);
        }
        for (int j : next(i)) {
            if (j >= n || !t.isSymbol(j, symbol)) {
                return false;
            }
        }
        return true;
    }

    /** After a name and its {@code (}: true when something other than {@code )} follows, in some reading. */
    private boolean hasArguments(int last) {
        for (int open : next(last)) {
            if (open < n && t.isSymbol(open, '(')) {
                for (int j : next(open)) {
                    if (j >= n || !t.isSymbol(j, ')')) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The tokens a statement may start with, past opening parentheses, in every reading. */
    private List<Integer> firstTokens() {
        List<Integer> out = new ArrayList<Integer>();
        if (!hasGroups) {
            int i = 0;
            while (i < n && t.isSymbol(i, '(')) {
                i++;
            }
            if (i < n) {
                out.add(i);
            }
            return out;
        }
        boolean[] seen = new boolean[n + 1];
        Deque<Integer> todo = new ArrayDeque<Integer>();
        todo.add(-1);
        while (!todo.isEmpty()) {
            int i = todo.poll();
            for (int j : next(i)) {
                if (j >= n || seen[j]) {
                    continue;
                }
                seen[j] = true;
                if (t.isSymbol(j, '(')) {
                    todo.add(j);
                } else {
                    out.add(j);
                }
            }
        }
        return out;
    }

    /**
     * MySQL {@code @x := ...}, {@code @'x' :=}, {@code @"x" :=}, {@code @`x` :=}, {@code @a.b :=}: a user variable
     * and then {@code :=}. A {@code :=} without one (PostgreSQL named arguments) is fine.
     */
    private boolean assignsUserVariable(int at) {
        if (at > 0 && t.isSymbol(at - 1, '@') && t.end(at - 1) == t.start(at)) {
            return false;
        }
        for (int first : next(at)) {
            if (first >= n) {
                continue;
            }
            byte kind = t.kind(first);
            if (kind != Tokens.WORD && kind != Tokens.NUMBER && kind != Tokens.STRING
                    && kind != Tokens.QUOTED_NAME) {
                continue;
            }
            int last = first;
            while (last + 1 < n && t.start(last + 1) == t.end(last) && (t.kind(last + 1) == Tokens.WORD
                    || t.kind(last + 1) == Tokens.NUMBER || t.isSymbol(last + 1, '.'))) {
                last++;
            }
            for (int colon : next(last)) {
                if (colon < n && t.isSymbol(colon, ':') && anyNextIs(colon, '=')) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The last token of a name: a {@code U&"..."} name may be followed by {@code UESCAPE '!'}. */
    private int lastOfName(int i) {
        if (t.quote(i) == 'U' && i + 2 < n && t.isWord(i + 1, "UESCAPE") && t.kind(i + 2) == Tokens.STRING) {
            return i + 2;
        }
        return i;
    }

    /** The name a WORD or QUOTED_NAME token stands for, unquoted, escapes decoded. */
    private String name(int i) {
        String text = t.text(i);
        if (t.kind(i) == Tokens.WORD) {
            return text;
        }
        char quote = t.quote(i);
        if (quote == '[') {
            return text.substring(1, text.length() - 1);
        }
        int open = quote == 'U' ? 2 : 0;
        char q = text.charAt(open);
        String inner = text.substring(open + 1, text.length() - 1).replace(new String(new char[] {q, q}),
                String.valueOf(q));
        if (quote != 'U') {
            return inner;
        }
        char escape = '\\';
        int last = lastOfName(i);
        if (last != i) {
            String uescape = t.text(last);
            if (uescape.length() == 3) {
                escape = uescape.charAt(1);
            }
        }
        return UnicodeEscapes.decode(inner, escape);
    }

    /** The refused-function entry for the name at token {@code i}, copying only quoted names. */
    private RefusedFunctions.Entry find(Dialect dialect, int i) {
        if (t.kind(i) == Tokens.WORD) {
            return RefusedFunctions.find(dialect, sql, t.start(i), t.end(i));
        }
        return RefusedFunctions.find(dialect, name(i));
    }

    private String displayName(int i) {
        return t.text(i);
    }

    private String upper(int i) {
        return t.text(i).toUpperCase(Locale.ROOT);
    }

    private void indexGroups() {
        int max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, t.group(i));
        }
        hasGroups = max > 0;
        groupEnd = new int[max + 1];
        for (int i = 0; i < n; i++) {
            if (t.group(i) != 0) {
                groupEnd[t.group(i)] = i;
            }
        }
    }

    private static String[] words(String spaced) {
        return spaced.split(" ");
    }

    private static String join(String[] words) {
        StringBuilder out = new StringBuilder();
        for (String word : words) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(word);
        }
        return out.toString();
    }
}
