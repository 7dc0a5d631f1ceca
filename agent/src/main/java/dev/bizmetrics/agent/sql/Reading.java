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

    final Dialect dialect;
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
        postgres.add(pg.build(""));
        pg.backslashInStrings = true;
        postgres.add(pg.build("with standard_conforming_strings=off"));
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
        mysql.add(my.build(""));
        my.doubleQuoteIsString = false;
        mysql.add(my.build("with ANSI_QUOTES"));
        my.backslashInStrings = false;
        my.doubleQuoteIsString = true;
        mysql.add(my.build("with NO_BACKSLASH_ESCAPES"));
        my.doubleQuoteIsString = false;
        mysql.add(my.build("with NO_BACKSLASH_ESCAPES and ANSI_QUOTES"));
        all.put(Dialect.MYSQL, Collections.unmodifiableList(mysql));

        List<Reading> oracle = new ArrayList<Reading>();
        Builder ora = new Builder(Dialect.ORACLE);
        ora.oracleQuotes = true;
        ora.dollar = Dollar.NONE;
        ora.poundInNames = true;
        oracle.add(ora.build(""));
        // Oracle documents no line end but LF; a lone CR may end a -- comment as well, so both are read.
        ora.lineCommentEndsAtCr = true;
        oracle.add(ora.build("if a lone carriage return ends a -- comment"));
        all.put(Dialect.ORACLE, Collections.unmodifiableList(oracle));

        List<Reading> h2 = new ArrayList<Reading>();
        Builder h = new Builder(Dialect.H2);
        h.backticks = true;
        h.slashSlashComments = true;
        h.lineCommentEndsAtCr = true;
        h.dollar = Dollar.PLAIN;
        h.nestedComments = true;
        h2.add(h.build(""));
        h.nestedComments = false;
        h2.add(h.build("with comments that do not nest (H2 1.4)"));
        h.squareBrackets = true;
        h2.add(h.build("in MSSQLServer mode with comments that do not nest"));
        h.nestedComments = true;
        h2.add(h.build("in MSSQLServer mode"));
        all.put(Dialect.H2, Collections.unmodifiableList(h2));
        return all;
    }

    private static final class Builder {
        final Dialect dialect;
        String setting = "";
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

        Reading build(String setting) {
            this.setting = setting;
            return new Reading(this);
        }
    }
}
