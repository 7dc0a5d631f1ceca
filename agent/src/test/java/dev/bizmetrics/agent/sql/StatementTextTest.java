package dev.bizmetrics.agent.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a passing verdict hands the runner: the statement text, and whether it may be wrapped as a subquery. */
class StatementTextTest {

    private static Verdict passing(String sql, boolean allowAnySql, Dialect dialect) {
        Verdict verdict = StatementCheck.check(sql, allowAnySql, dialect);
        assertThat(verdict.passed()).as(verdict.problem()).isTrue();
        return verdict;
    }

    @Test
    void theTerminatingSemicolonAndWhatFollowsItAreStripped() {
        for (Dialect dialect : Dialect.values()) {
            assertThat(passing("SELECT 1;", false, dialect).statement()).isEqualTo("SELECT 1");
            assertThat(passing("SELECT 1 ;  \n", false, dialect).statement()).isEqualTo("SELECT 1");
            assertThat(passing("SELECT 1; -- done", false, dialect).statement()).isEqualTo("SELECT 1");
            assertThat(passing("SELECT 1;/* a */ /* b */\n-- c\n", false, dialect).statement()).isEqualTo("SELECT 1");
            assertThat(passing("\n  SELECT 1\n", false, dialect).statement()).isEqualTo("SELECT 1");
        }
    }

    @Test
    void commentsBeforeTheSemicolonStayAndSemicolonsInStringsAreNotTheEnd() {
        assertThat(passing("SELECT 'a;b' -- c;\n;", false, Dialect.POSTGRESQL).statement())
                .isEqualTo("SELECT 'a;b' -- c;");
        assertThat(passing("SELECT 1 /* ; */", false, Dialect.MYSQL).statement()).isEqualTo("SELECT 1 /* ; */");
        assertThat(passing("SELECT $$;$$;", false, Dialect.POSTGRESQL).statement()).isEqualTo("SELECT $$;$$");
        assertThat(passing("SELECT q'[;]' FROM dual;", false, Dialect.ORACLE).statement())
                .isEqualTo("SELECT q'[;]' FROM dual");
        assertThat(passing("SELECT `a;b` FROM t;", false, Dialect.MYSQL).statement()).isEqualTo("SELECT `a;b` FROM t");
    }

    @Test
    void theEveryDialectVerdictCarriesTheStatementTheyAgreeOn() {
        Verdict verdict = StatementCheck.checkEveryDialect("SELECT count(*) FROM t; -- x", false);
        assertThat(verdict.statement()).isEqualTo("SELECT count(*) FROM t");
        assertThat(StatementCheck.check("SELECT 1;", false, null).statement()).isEqualTo("SELECT 1");
    }

    @Test
    void readingsThatEndTheStatementAtDifferentPlacesAreRefused() {
        // Backslash escapes on: one string up to the last quote, then the final ;. Off: the string ends early and
        // the first ; ends the statement, the rest being a comment. Both one statement, but not the same one.
        Verdict verdict = StatementCheck.check("SELECT 'a\\' ; -- ' ;", false, Dialect.MYSQL);
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.problem()).contains("the statement ends at the ; at character 20 under MySQL/MariaDB "
                + "rules but at the ; at character 13 under MySQL/MariaDB rules with NO_BACKSLASH_ESCAPES");
        Verdict dialects = StatementCheck.checkEveryDialect("SELECT 1 /* /* */ ; -- */", false);
        assertThat(dialects.passed()).isFalse();
        assertThat(dialects.problem()).contains("the statement ends");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT 1|true",
        "select 1|true",
        "WITH a AS (SELECT 1) SELECT * FROM a|true",
        "VALUES (1)|true",
        "(SELECT 1)|true",
        "/* c */ ( /* d */ (SELECT 1))|true",
        "-- c\\nSELECT 1|true",
        "SHOW TABLES|false",
        "EXPLAIN SELECT 1|false",
        "CALL p()|false",
        "TABLE t|false"})
    void isQueryWhenItStartsWithSelectWithOrValues(String sql, boolean query) {
        String text = sql.replace("\\n", "\n");
        for (Dialect dialect : Dialect.values()) {
            assertThat(passing(text, true, dialect).isQuery()).as("under %s", dialect).isEqualTo(query);
        }
        assertThat(StatementCheck.checkEveryDialect(text, true).isQuery()).isEqualTo(query);
    }

    @Test
    void allowAnySqlLiftsOnlyTheStatementKind() {
        assertThat(StatementCheck.checkEveryDialect("SHOW TABLES", false).passed()).isFalse();
        assertThat(StatementCheck.checkEveryDialect("SHOW TABLES", true).passed()).isTrue();
        assertThat(StatementCheck.checkEveryDialect("DELETE FROM t", true).passed()).isTrue();
        assertThat(StatementCheck.checkEveryDialect("SELECT * FROM t FOR UPDATE", true).passed()).isFalse();
        assertThat(StatementCheck.checkEveryDialect("SELECT pg_advisory_lock(1)", true).passed()).isFalse();
        assertThat(StatementCheck.checkEveryDialect("DELETE FROM t; DELETE FROM u", true).passed()).isFalse();
        assertThat(StatementCheck.checkEveryDialect("SET x = 1", true).passed()).isFalse();
    }

    @Test
    void aRefusedVerdictHasNoStatement() {
        Verdict verdict = StatementCheck.checkEveryDialect("DELETE FROM t", false);
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.statement()).isNull();
        assertThat(verdict.isQuery()).isFalse();
        assertThat(verdict.toString()).startsWith("refused: ");
    }

    @Test
    void messagesQuoteAtMostFortyCharactersOfTheSql() {
        String tail = "DELETE FROM a_table_with_a_long_name WHERE id IN (SELECT id FROM another_long_table_name)";
        Verdict verdict = StatementCheck.checkEveryDialect("SELECT 1; " + tail, false);
        assertThat(verdict.problem()).contains("'" + tail.substring(0, 40) + "\u2026'").doesNotContain(tail);
        String huge = "SELECT '" + "x".repeat(10_000);
        assertThat(StatementCheck.checkEveryDialect(huge, false).problem().length()).isLessThan(300);
    }
}
