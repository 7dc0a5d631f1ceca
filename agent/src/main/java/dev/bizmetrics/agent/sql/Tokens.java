package dev.bizmetrics.agent.sql;

import java.util.Arrays;

/**
 * The code tokens of a text under one reading, in order; comments and whitespace are not tokens. Kept in parallel
 * arrays rather than one object a token, because a megabyte of SQL is checked under a dozen readings.
 */
final class Tokens {

    /** An unquoted name or keyword. */
    static final byte WORD = 1;
    /** {@code "name"}, {@code `name`}, {@code [name]}, {@code U&"name"}. */
    static final byte QUOTED_NAME = 2;
    /** Any string literal, dollar-quoted ones included. */
    static final byte STRING = 3;
    static final byte NUMBER = 4;
    /** {@code $1}. */
    static final byte PARAMETER = 5;
    /** Any other single character: {@code ( ) ; . , : = @} and the operators. */
    static final byte SYMBOL = 6;

    private final String sql;
    private byte[] kind;
    private int[] start;
    private int[] end;
    /** The MySQL executable comment a token is in, numbered from 1; 0 outside any. */
    private int[] group;
    /** For a QUOTED_NAME: its opening quote, and 'U' for {@code U&"..."}. */
    private char[] quote;
    private int size;

    Tokens(String sql) {
        this.sql = sql;
        // About one token in six characters in real SQL: a guess that saves most of the regrowing.
        int capacity = Math.max(16, sql.length() / 6);
        kind = new byte[capacity];
        start = new int[capacity];
        end = new int[capacity];
        group = new int[capacity];
        quote = new char[capacity];
    }

    void add(byte k, int from, int to, int inGroup, char openingQuote) {
        if (size == kind.length) {
            int capacity = size * 2;
            kind = Arrays.copyOf(kind, capacity);
            start = Arrays.copyOf(start, capacity);
            end = Arrays.copyOf(end, capacity);
            group = Arrays.copyOf(group, capacity);
            quote = Arrays.copyOf(quote, capacity);
        }
        kind[size] = k;
        start[size] = from;
        end[size] = to;
        group[size] = inGroup;
        quote[size] = openingQuote;
        size++;
    }

    int size() {
        return size;
    }

    byte kind(int i) {
        return kind[i];
    }

    int start(int i) {
        return start[i];
    }

    int end(int i) {
        return end[i];
    }

    int group(int i) {
        return group[i];
    }

    char quote(int i) {
        return quote[i];
    }

    boolean isSymbol(int i, char c) {
        return kind[i] == SYMBOL && sql.charAt(start[i]) == c;
    }

    /** An unquoted word equal to {@code upper} (given in upper case), ignoring case. */
    boolean isWord(int i, String upper) {
        return kind[i] == WORD && end[i] - start[i] == upper.length()
                && sql.regionMatches(true, start[i], upper, 0, upper.length());
    }

    /** The text of a token as written. */
    String text(int i) {
        return sql.substring(start[i], end[i]);
    }
}
