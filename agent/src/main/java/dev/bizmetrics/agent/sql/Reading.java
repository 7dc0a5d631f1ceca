package dev.bizmetrics.agent.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One way a database may read a statement's text. A dialect has several when a server setting or version changes
 * the lexical rules (PostgreSQL's standard_conforming_strings, MySQL's NO_BACKSLASH_ESCAPES and ANSI_QUOTES, H2's
 * comment nesting and MSSQLServer mode, an Oracle line end that is not documented): the agent cannot know the
 * setting in force, so a statement passes only when every reading finds it safe and ends it at the same place.
 */
final class Reading {

    /** How {@code $} opens a string. */
    enum Dollar {
        /** PostgreSQL: {@code $$...$$} and {@code $tag$...$tag$}; {@code $1} is a parameter. */
        TAGGED,
        /** H2: {@code $$...$$} only. */
        PLAIN,
        /** MySQL and Oracle: {@code $} is an identifier character. */
        NONE
    }

    /** Characters in a text that may make readings differ; see {@link #mayDifferOn}. */
    static final int BACKSLASH = 1;
    static final int DOUBLE_QUOTE = 2;
    static final int CARRIAGE_RETURN = 4;
    static final int BRACKET = 8;
    static final int COMMENT_START = 16;

    /** Which of those characters a text holds: a reading whose differences it lacks reads it like the first. */
    static int features(String sql) {
        int features = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\\') {
                features |= BACKSLASH;
            } else if (c == '"') {
                features |= DOUBLE_QUOTE;
            } else if (c == '\r') {
                features |= CARRIAGE_RETURN;
            } else if (c == '[') {
                features |= BRACKET;
            } else if (c == '*' && i > 0 && sql.charAt(i - 1) == '/') {
                features |= COMMENT_START;
            }
        }
        return features;
    }

    final Dialect dialect;
    /**
     * The characters without which this reading tokenizes every text exactly as its dialect's first reading does
     * (0 for the first reading itself): a backslash for a backslash setting, a double quote for ANSI_QUOTES...
     */
    final int mayDifferOn;
    /** What sets this reading apart from the dialect's usual one, for messages; "" for the usual one. */
    final String setting;
    final boolean backslashInStrings;
    final boolean doubleQuoteIsString;
    final boolean backticks;
    final boolean squareBrackets;
    final boolean hashComments;
    final boolean slashSlashComments;
    /** MySQL: {@code --} starts a comment only before a space, a control character or the end. */
    final boolean dashDashNeedsSpace;
    final boolean lineCommentEndsAtCr;
    final boolean nestedComments;
    /** MySQL/MariaDB {@code /*! ... *}{@code /} and {@code /*M! ... *}{@code /}: their content is code. */
    final boolean executableComments;
    final Dollar dollar;
    /** PostgreSQL: {@code E'...'}, {@code U&'...'}, {@code B'...'}, {@code X'...'} and the JDBC driver's split. */
    final boolean postgresPrefixes;
    /** Oracle: {@code q'[...]'} and its kin. */
    final boolean oracleQuotes;
    final boolean poundInNames;

    private Reading(Builder b) {
        this.dialect = b.dialect;
        this.setting = b.setting;
        this.mayDifferOn = b.mayDifferOn;
        this.backslashInStrings = b.backslashInStrings;
        this.doubleQuoteIsString = b.doubleQuoteIsString;
        this.backticks = b.backticks;
        this.squareBrackets = b.squareBrackets;
        this.hashComments = b.hashComments;
        this.slashSlashComments = b.slashSlashComments;
        this.dashDashNeedsSpace = b.dashDashNeedsSpace;
        this.lineCommentEndsAtCr = b.lineCommentEndsAtCr;
        this.nestedComments = b.nestedComments;
        this.executableComments = b.executableComments;
        this.dollar = b.dollar;
        this.postgresPrefixes = b.postgresPrefixes;
        this.oracleQuotes = b.oracleQuotes;
        this.poundInNames = b.poundInNames;
    }

    /** "PostgreSQL rules", or "MySQL/MariaDB rules with NO_BACKSLASH_ESCAPES": who found it, for a message. */
    String rules() {
        return dialect.displayName() + " rules" + (setting.isEmpty() ? "" : " " + setting);
    }

    private static final Map<Dialect, List<Reading>> READINGS = readings();

    /** The readings of a dialect, its usual one first. */
    static List<Reading> of(Dialect dialect) {
        return READINGS.get(dialect);
    }

    private static Map<Dialect, List<Reading>> readings() {
        Map<Dialect, List<Reading>> all = new EnumMap<Dialect, List<Reading>>(Dialect.class);

        List<Reading> postgres = new ArrayList<Reading>();
        Builder pg = new Builder(Dialect.POSTGRESQL);
        pg.lineCommentEndsAtCr = true;
        pg.nestedComments = true;
        pg.dollar = Dollar.TAGGED;
        pg.postgresPrefixes = true;
        postgres.add(pg.build("", 0));
        pg.backslashInStrings = true;
        postgres.add(pg.build("with standard_conforming_strings=off", BACKSLASH));
        all.put(Dialect.POSTGRESQL, Collections.unmodifiableList(postgres));

        List<Reading> mysql = new ArrayList<Reading>();
        Builder my = new Builder(Dialect.MYSQL);
        my.backticks = true;
        my.hashComments = true;
        my.dashDashNeedsSpace = true;
        my.executableComments = true;
        my.dollar = Dollar.NONE;
        my.backslashInStrings = true;
        my.doubleQuoteIsString = true;
        mysql.add(my.build("", 0));
        my.doubleQuoteIsString = false;
        mysql.add(my.build("with ANSI_QUOTES", DOUBLE_QUOTE));
        my.backslashInStrings = false;
        my.doubleQuoteIsString = true;
        mysql.add(my.build("with NO_BACKSLASH_ESCAPES", BACKSLASH));
        my.doubleQuoteIsString = false;
        mysql.add(my.build("with NO_BACKSLASH_ESCAPES and ANSI_QUOTES", BACKSLASH | DOUBLE_QUOTE));
        all.put(Dialect.MYSQL, Collections.unmodifiableList(mysql));

        List<Reading> oracle = new ArrayList<Reading>();
        Builder ora = new Builder(Dialect.ORACLE);
        ora.oracleQuotes = true;
        ora.dollar = Dollar.NONE;
        ora.poundInNames = true;
        oracle.add(ora.build("", 0));
        // Oracle documents no line end but LF; a lone CR may end a -- comment as well, so both are read.
        ora.lineCommentEndsAtCr = true;
        oracle.add(ora.build("if a lone carriage return ends a -- comment", CARRIAGE_RETURN));
        all.put(Dialect.ORACLE, Collections.unmodifiableList(oracle));

        List<Reading> h2 = new ArrayList<Reading>();
        Builder h = new Builder(Dialect.H2);
        h.backticks = true;
        h.slashSlashComments = true;
        h.lineCommentEndsAtCr = true;
        h.dollar = Dollar.PLAIN;
        h.nestedComments = true;
        h2.add(h.build("", 0));
        h.nestedComments = false;
        h2.add(h.build("with comments that do not nest (H2 1.4)", COMMENT_START));
        h.squareBrackets = true;
        h2.add(h.build("in MSSQLServer mode with comments that do not nest", COMMENT_START | BRACKET));
        h.nestedComments = true;
        h2.add(h.build("in MSSQLServer mode", BRACKET));
        all.put(Dialect.H2, Collections.unmodifiableList(h2));
        return all;
    }

    private static final class Builder {
        final Dialect dialect;
        String setting = "";
        int mayDifferOn;
        boolean backslashInStrings;
        boolean doubleQuoteIsString;
        boolean backticks;
        boolean squareBrackets;
        boolean hashComments;
        boolean slashSlashComments;
        boolean dashDashNeedsSpace;
        boolean lineCommentEndsAtCr;
        boolean nestedComments;
        boolean executableComments;
        Dollar dollar = Dollar.NONE;
        boolean postgresPrefixes;
        boolean oracleQuotes;
        boolean poundInNames;

        Builder(Dialect dialect) {
            this.dialect = dialect;
        }

        Reading build(String setting, int mayDifferOn) {
            this.setting = setting;
            this.mayDifferOn = mayDifferOn;
            return new Reading(this);
        }
    }
}
