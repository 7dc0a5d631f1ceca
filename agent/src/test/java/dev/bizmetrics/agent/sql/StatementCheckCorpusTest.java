package dev.bizmetrics.agent.sql;

import static dev.bizmetrics.agent.sql.Dialect.H2;
import static dev.bizmetrics.agent.sql.Dialect.MYSQL;
import static dev.bizmetrics.agent.sql.Dialect.ORACLE;
import static dev.bizmetrics.agent.sql.Dialect.POSTGRESQL;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus: hostile statements, each with the dialects whose rules must refuse it and a part of the expected
 * message, and legitimate metric queries that must pass under every dialect.
 */
class StatementCheckCorpusTest {

    /** A hostile statement: refused by {@code refusers} (with this allow-any-sql), the message holding {@code expected}. */
    record Hostile(String sql, boolean allowAnySql, String expected, Set<Dialect> refusers) {
        @Override
        public String toString() {
            return (allowAnySql ? "[any-sql] " : "") + sql.replace("\n", "\\n").replace("\r", "\\r") + " -> "
                    + refusers;
        }
    }

    private static final List<Hostile> HOSTILE = new ArrayList<>();

    private static void hostile(String sql, String expected, Dialect... refusers) {
        HOSTILE.add(new Hostile(sql, false, expected, EnumSet.of(refusers[0], refusers)));
    }

    /** Refused even with allow-any-sql=true. */
    private static void always(String sql, String expected, Dialect... refusers) {
        HOSTILE.add(new Hostile(sql, true, expected, EnumSet.of(refusers[0], refusers)));
        HOSTILE.add(new Hostile(sql, false, expected, EnumSet.of(refusers[0], refusers)));
    }

    private static final Dialect[] ALL = Dialect.values();

    static {
        // ---- more than one statement, hidden by one database's lexical rules
        hostile("SELECT $$'$$ AS x; COMMIT; DELETE FROM t WHERE id = 10; SELECT 1 AS n --'",
                "a second statement after the ; at character 18", POSTGRESQL, H2);
        hostile("SELECT E'\\'' AS x; COMMIT; DELETE FROM t WHERE id = 10; SELECT 1 AS n --'",
                "a second statement after the ; at character 18", POSTGRESQL);
        // MySQL reads --' as minus minus and a string, left open.
        hostile("SELECT E'\\'' AS x; COMMIT; DELETE FROM t WHERE id = 10; SELECT 1 AS n --'",
                "an unterminated string starting at character 73", MYSQL);
        hostile("SELECT E'\\'' AS x; COMMIT; DELETE FROM t WHERE id = 10; SELECT 1 AS n -- '",
                "a second statement after the ; at character 18", POSTGRESQL, MYSQL);
        hostile("SELECT 1 /*! ; DELETE FROM t */", "a ; inside the executable comment at character 10", MYSQL);
        hostile("SELECT 1 /*M! ; DELETE FROM t */", "a ; inside the executable comment", MYSQL);
        hostile("SELECT 1 /*!50001 ; DELETE FROM t */", "a ; inside the executable comment", MYSQL);
        hostile("SELECT 1 /*M!100100 ; DELETE FROM t */", "a ; inside the executable comment", MYSQL);
        hostile("SELECT 'a\\'; DELETE FROM t; -- '", "a second statement after the ;", ALL);
        hostile("SELECT \"a\\\" ; DELETE FROM t; -- \"", "a second statement after the ;", MYSQL, POSTGRESQL, ORACLE,
                H2);
        hostile("SELECT q'[ ]'; DELETE FROM t", "a second statement after the ; at character 14", ALL);
        hostile("SELECT q'[ ' ]' ; DELETE FROM t; -- '", "a second statement", ORACLE);
        hostile("SELECT q'[';']' FROM dual", "a second statement", POSTGRESQL, MYSQL, H2);
        hostile("SELECT 1 /* /* */ ; DELETE FROM t; -- */", "a second statement", MYSQL, ORACLE, H2);
        hostile("SELECT 1 /* /* */ '*/ ; DELETE FROM t; -- '", "a second statement", POSTGRESQL, H2);
        hostile("SELECT 1 --x\n; DELETE FROM t", "a second statement", ALL);
        hostile("SELECT 1 -- x\n; DELETE FROM t", "a second statement", ALL);
        hostile("SELECT 1 #\n; DELETE FROM t", "a second statement", ALL);
        hostile("SELECT 1 # ; DELETE FROM t", "a second statement", POSTGRESQL, ORACLE, H2);
        hostile("SELECT 1 // ; DELETE FROM t", "a second statement", POSTGRESQL, MYSQL, ORACLE);
        hostile("SELECT 1 -- x\r; DELETE FROM t", "a second statement", POSTGRESQL, ORACLE, H2);
        hostile("SELECT $tag$ ; DELETE FROM t; $tag$ AS x", "a second statement", MYSQL, ORACLE, H2);
        hostile("SELECT $a$ $b$ ; DELETE $b$ $a$ AS x", "a second statement", MYSQL, ORACLE, H2);
        hostile("SELECT $1 ; DELETE FROM t; $1", "a second statement", ALL);
        hostile("SELECT 1; SELECT 2", "a second statement after the ; at character 9 under", ALL);
        hostile("SELECT 1;;", "a second statement", ALL);
        hostile("SELECT 1 /*!99999 /* */ ' */ ; DELETE FROM t; -- ' */", "a comment inside the executable comment",
                MYSQL);
        hostile("SELECT 1 /*!50001 '*/' */", "holds */ inside a string or comment", MYSQL);
        hostile("SELECT 1 /*! # */ ; DELETE FROM t; -- \n */", "holds */", MYSQL);
        hostile("SELECT [a'] ; DELETE FROM t; --']", "a second statement", H2);
        hostile("SELECT `a;` ; DELETE FROM t", "a second statement", ALL);
        hostile("SELECT ` delete` FROM t", "DELETE at character 10", POSTGRESQL, ORACLE);
        always("SHOW TABLES; SHOW DATABASES", "a second statement", ALL);
        // PostgreSQL's JDBC driver splits statements itself; where it would read the text otherwise than the server.
        hostile("SELECT 1$$ ; DELETE FROM t; $$", "PostgreSQL and its JDBC driver read it differently", POSTGRESQL);
        hostile("SELECT 'x'E'\\' ; DELETE FROM t; --'", "PostgreSQL and its JDBC driver read it differently",
                POSTGRESQL);
        hostile("SELECT B'1\\' ; DELETE FROM t; --'", "a backslash in the bit string", POSTGRESQL);

        // ---- left open
        hostile("SELECT 'abc", "an unterminated string starting at character 8 under", ALL);
        hostile("SELECT \"abc", "an unterminated", ALL);
        hostile("SELECT 1 /* abc", "an unterminated comment starting at character 10", ALL);
        hostile("SELECT $$abc", "an unterminated dollar quote $$", POSTGRESQL, H2);
        hostile("SELECT $x$abc $y$", "an unterminated dollar quote $x$", POSTGRESQL);
        hostile("SELECT `abc", "an unterminated quoted name", MYSQL, H2);
        hostile("SELECT E'\\'", "an unterminated string", POSTGRESQL, MYSQL);
        hostile("SELECT 'a\\' FROM t", "minding that these rules read a backslash", MYSQL, POSTGRESQL);
        hostile("SELECT q'[abc]", "an unterminated", ALL);
        hostile("SELECT q'[abc' FROM dual", "an unterminated q'[...' string", ORACLE);
        hostile("SELECT 1 /*! 2", "an unterminated executable comment", MYSQL);
        hostile("SELECT 1 /* /* */", "an unterminated comment", POSTGRESQL);
        hostile("SELECT [abc", "an unterminated [quoted name]", H2);

        // ---- characters the databases disagree on
        hostile("SELECT * FROM t FOR\u00A0UPDATE", "(U+00A0) at character 20 outside any string or comment", ALL);
        hostile("SELECT 1 AS x\u3000FROM t", "U+3000", ALL);
        hostile("SELECT 1\u200B", "U+200B", ALL);
        hostile("SELECT 1\u0001", "a control character (U+0001)", ALL);
        hostile("SELECT 'a\u0000'", "a NUL character at character 10", ALL);
        hostile("SELECT '\uD800'", "an unpaired surrogate", ALL);

        // ---- locking reads, in every spelling, also with allow-any-sql
        always("SELECT * FROM t FOR UPDATE", "FOR UPDATE at character 17", ALL);
        always("select * from t for update nowait", "FOR UPDATE", ALL);
        always("SELECT * FROM t FOR\n/* */ UPDATE", "FOR UPDATE", ALL);
        always("SELECT * FROM t FOR -- comment\n UPDATE SKIP LOCKED", "FOR UPDATE", ALL);
        always("SELECT * FROM t FOR SHARE", "FOR SHARE", ALL);
        always("SELECT * FROM t FOR KEY SHARE", "FOR KEY SHARE", ALL);
        always("SELECT * FROM t FOR NO KEY UPDATE", "FOR NO KEY UPDATE", ALL);
        always("SELECT * FROM t LOCK IN SHARE MODE", "LOCK IN SHARE MODE", ALL);
        always("SELECT * FROM t WHERE id = 1 FOR UPDATE OF t", "is a locking read", ALL);
        always("SELECT * FROM t /*!10000 FOR */ /*!99999 x */ UPDATE", "FOR UPDATE", MYSQL);

        // ---- statements whose effect outlives the run, also with allow-any-sql
        always("SET search_path TO evil, public", "the statement starts with SET", ALL);
        always("SET @x = 1", "the statement starts with SET", ALL);
        always("LOCK TABLE t IN ACCESS EXCLUSIVE MODE", "the statement starts with LOCK", ALL);
        always("LOCK TABLES t READ", "starts with LOCK", ALL);
        always("DO $$ BEGIN PERFORM pg_advisory_lock(1); END $$", "the statement starts with DO", POSTGRESQL, H2);
        always("BEGIN", "starts with BEGIN", ALL);
        always("COMMIT", "ends or changes the agent's read-only transaction", ALL);
        always("START TRANSACTION READ WRITE", "starts with START", ALL);
        always("USE other_db", "starts with USE", ALL);
        always("ALTER SESSION SET NLS_DATE_FORMAT = 'YYYY'", "starts with ALTER SESSION", ALL);
        always("COPY t TO '/tmp/t.csv'", "starts with COPY", ALL);
        always("KILL 42", "starts with KILL", ALL);
        always("PREPARE s FROM 'DELETE FROM t'", "starts with PREPARE", ALL);
        always("EXECUTE s", "starts with EXECUTE", ALL);
        always("(SET x = 1)", "starts with SET", ALL);

        // ---- PostgreSQL functions, in every spelling
        always("SELECT pg_advisory_lock(1)", "pg_advisory_lock(...) at character 8 under PostgreSQL rules takes a "
                + "session lock that outlives the run; remove it (refused even with allow-any-sql=true)", POSTGRESQL);
        always("SELECT PG_ADVISORY_LOCK(1)", "PG_ADVISORY_LOCK(...)", POSTGRESQL);
        always("SELECT pg_catalog.pg_advisory_lock(1)", "pg_advisory_lock(...) at character 19", POSTGRESQL);
        always("SELECT \"pg_advisory_lock\"(1)", "\"pg_advisory_lock\"(...)", POSTGRESQL);
        always("SELECT pg_catalog.\"pg_advisory_lock\" (1)", "takes a session lock", POSTGRESQL);
        always("SELECT pg_advisory_lock /* c */ (1)", "takes a session lock", POSTGRESQL);
        always("SELECT pg_advisory_lock -- c\n (1)", "takes a session lock", POSTGRESQL);
        always("SELECT U&\"\\0070g_advisory_lock\"(1)", "takes a session lock", POSTGRESQL);
        always("SELECT U&\"!0070g_advisory_lock\" UESCAPE '!' (1)", "takes a session lock", POSTGRESQL);
        always("SELECT pg_try_advisory_lock_shared(1)", "takes a session lock", POSTGRESQL);
        always("SELECT pg_advisory_unlock_all()", "releases session locks the host may hold", POSTGRESQL);
        always("SELECT pg_terminate_backend(pid) FROM pg_stat_activity", "acts on other sessions", POSTGRESQL);
        always("SELECT pg_cancel_backend(42)", "pg_cancel_backend", POSTGRESQL);
        always("SELECT pg_reload_conf()", "changes the server's state", POSTGRESQL);
        always("SELECT pg_switch_wal()", "pg_switch_wal", POSTGRESQL);
        always("SELECT pg_create_logical_replication_slot('s', 'pgoutput')", "replication", POSTGRESQL);
        always("SELECT * FROM pg_logical_slot_get_changes('s', NULL, NULL)", "replication", POSTGRESQL);
        always("SELECT pg_stat_reset()", "resets statistics", POSTGRESQL);
        always("SELECT pg_stat_statements_reset()", "resets statistics", POSTGRESQL);
        always("SELECT * FROM dblink('host=x', 'DELETE FROM t') AS r(x int)", "dblink(...)", POSTGRESQL);
        always("SELECT dblink_exec('DELETE FROM t')", "reaches another server", POSTGRESQL);
        always("SELECT lo_import('/etc/passwd')", "large objects", POSTGRESQL);
        always("SELECT lowrite(0, 'x')", "lowrite", POSTGRESQL);
        always("SELECT pg_read_file('/etc/passwd')", "reads or writes files", POSTGRESQL);
        always("SELECT pg_ls_dir('.')", "reads or writes files", POSTGRESQL);
        always("SELECT pg_file_write('x', 'y', false)", "reads or writes files", POSTGRESQL);
        always("SELECT query_to_xml('DELETE FROM t RETURNING 1', true, true, '')", "runs SQL given as text",
                POSTGRESQL);
        always("SELECT * FROM crosstab('SELECT 1')", "runs SQL given as text", POSTGRESQL);
        always("SELECT * FROM ts_stat('SELECT v FROM t')", "runs SQL given as text", POSTGRESQL);
        always("SELECT nextval('orders_id_seq')", "advances or sets a sequence", POSTGRESQL, H2, MYSQL);
        always("SELECT setval('s', 1)", "advances or sets a sequence", POSTGRESQL);
        always("SELECT pg_logical_emit_message(false, 'p', 'x')", "replication", POSTGRESQL);

        // ---- MySQL/MariaDB functions and forms
        always("SELECT GET_LOCK('host_lock', 10)", "GET_LOCK(...) at character 8 under MySQL/MariaDB rules takes a "
                + "session lock", MYSQL);
        always("SELECT get_lock /* */ ('a', 1)", "takes a session lock", MYSQL);
        always("SELECT `GET_LOCK`('a', 1)", "takes a session lock", MYSQL);
        always("SELECT RELEASE_ALL_LOCKS()", "releases session locks", MYSQL);
        always("SELECT LAST_INSERT_ID(42)", "sets session state that outlives the run when given an argument", MYSQL);
        always("SELECT LOAD_FILE('/etc/passwd')", "reads or writes files", MYSQL);
        always("SELECT LOAD_FILE /*!99999 x */ ('/etc/passwd')", "LOAD_FILE(...)", MYSQL);
        always("SELECT MASTER_POS_WAIT('log', 4)", "waits on replication", MYSQL);
        always("SELECT SOURCE_POS_WAIT('log', 4)", "waits on replication", MYSQL);
        always("SELECT NEXT VALUE FOR s", "NEXT VALUE FOR at character 8 under", MYSQL, H2);
        always("SELECT PREVIOUS VALUE FOR s", "PREVIOUS VALUE FOR", MYSQL);
        always("SELECT LASTVAL(s)", "sequence", MYSQL);
        always("SELECT sys_exec('rm -rf /')", "runs a program", MYSQL);
        always("SELECT @x := 42", "'@x := 42' at character 8 under MySQL/MariaDB rules assigns a user variable",
                MYSQL);
        always("SELECT @x:=1", "assigns a user variable", MYSQL);
        always("SELECT @'x' := 1", "assigns a user variable", MYSQL);
        always("SELECT @\"x\" := 1", "assigns a user variable", MYSQL);
        always("SELECT @`x` := 1", "assigns a user variable", MYSQL);
        always("SELECT (@a.b := 1)", "assigns a user variable", MYSQL);
        always("SELECT * FROM t INTO OUTFILE '/tmp/x'", "INTO OUTFILE at character 17 under MySQL/MariaDB rules "
                + "writes a file on the database server", MYSQL);
        always("SELECT * FROM t INTO DUMPFILE '/tmp/x'", "INTO DUMPFILE", MYSQL);
        always("SELECT count(*) FROM t INTO @n", "INTO @var", MYSQL);

        // ---- Oracle packages and sequences
        always("SELECT DBMS_LOCK.REQUEST(1) FROM dual", "DBMS_LOCK at character 8 under Oracle rules is a PL/SQL "
                + "package", ORACLE);
        always("SELECT sys.dbms_pipe.send_message('x') FROM dual", "dbms_pipe", ORACLE);
        always("SELECT \"DBMS_SESSION\".SET_IDENTIFIER('x') FROM dual", "PL/SQL package", ORACLE);
        always("SELECT DBMS_RANDOM.VALUE FROM dual", "DBMS_RANDOM", ORACLE);
        always("SELECT UTL_HTTP.REQUEST('http://evil') FROM dual", "does file or network I/O", ORACLE);
        always("SELECT utl_inaddr.get_host_name FROM dual", "utl_inaddr", ORACLE);
        always("SELECT HTTPURITYPE('http://evil').getclob() FROM dual", "fetches a URL", ORACLE);
        always("SELECT orders_seq.NEXTVAL FROM dual", ".NEXTVAL at character 18 under", ORACLE,
                MYSQL, H2);

        // ---- H2 functions
        always("SELECT SET(@x, 1)", "SET(...) at character 8 under H2 rules sets a session variable", H2);
        always("SELECT FILE_WRITE('x', '/tmp/x')", "reads or writes files", H2);
        always("SELECT FILE_READ('/etc/passwd')", "reads or writes files", H2);
        always("SELECT * FROM CSVREAD('/etc/passwd')", "reads or writes files", H2);
        always("CALL CSVWRITE('/tmp/x', 'SELECT 1')", "reads or writes files", H2);
        always("SELECT LINK_SCHEMA('s', '', 'jdbc:x', 'u', 'p', 'PUBLIC')", "links another database", H2);
        always("SELECT CANCEL_SESSION(1)", "acts on other sessions", H2);
        always("SELECT ABORT_SESSION(1)", "acts on other sessions", H2);

        // ---- statement kind: lifted by allow-any-sql
        hostile("SELECT * INTO t2 FROM t", "INTO at character 10 under", ALL);
        hostile("WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d", "DELETE at character 12", ALL);
        hostile("WITH u AS (UPDATE t SET a = 1 RETURNING *) SELECT 1", "UPDATE at character 12", ALL);
        hostile("WITH i AS (INSERT INTO t VALUES (1) RETURNING *) SELECT 1", "INSERT", ALL);
        hostile("INSERT INTO t VALUES (1)", "the statement starts with INSERT", ALL);
        hostile("DELETE FROM t", "the statement starts with DELETE", ALL);
        hostile("UPDATE t SET a = 1", "starts with UPDATE", ALL);
        hostile("TRUNCATE TABLE t", "starts with TRUNCATE", ALL);
        hostile("SELECT 1 FROM t WHERE 1 = 0 UNION SELECT 1 FROM (TRUNCATE t)", "TRUNCATE at", ALL);
        hostile("DROP TABLE t", "starts with DROP", ALL);
        hostile("CREATE TABLE x (a int)", "starts with CREATE", ALL);
        hostile("ALTER TABLE t ADD c int", "starts with ALTER", ALL);
        hostile("GRANT ALL ON t TO u", "starts with GRANT", ALL);
        hostile("CALL p()", "starts with CALL", ALL);
        hostile("REPLACE INTO t VALUES (1)", "starts with REPLACE", ALL);
        hostile("SELECT 1 FROM t WHERE x IN (SELECT 1 FROM u) /* */ MERGE", "MERGE at", ALL);
        hostile("SHOW TABLES", "the statement starts with SHOW under", ALL);
        hostile("EXPLAIN ANALYZE DELETE FROM t", "starts with EXPLAIN", ALL);
        hostile("'SELECT 1'", "the statement starts with ''SELECT 1''", ALL);
        hostile("-- only a comment", "the SQL holds only comments", ALL);
        hostile("/* nothing */ ;", "nothing but comments before the ;", ALL);
        hostile("   ", "the SQL is empty", ALL);
    }

    static Stream<Hostile> hostile() {
        return HOSTILE.stream();
    }

    @Test
    void theCorpusIsLargeEnough() {
        assertThat(HOSTILE.stream().map(Hostile::sql).distinct().count()).isGreaterThanOrEqualTo(60);
        assertThat(LEGITIMATE).hasSizeGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileStatementsAreRefusedByTheDialectsThatMust(Hostile h) {
        for (Dialect dialect : h.refusers()) {
            Verdict verdict = StatementCheck.check(h.sql(), h.allowAnySql(), dialect);
            assertThat(verdict.passed()).as("under %s", dialect).isFalse();
            assertThat(verdict.problem()).as("under %s", dialect).contains(h.expected());
            assertThat(verdict.problem().length()).isLessThanOrEqualTo(300);
            assertThat(verdict.statement()).isNull();
            boolean foundBeforeAnyDialect = verdict.problem().startsWith("a NUL")
                    || verdict.problem().startsWith("an unpaired") || verdict.problem().startsWith("the SQL is empty");
            if (!foundBeforeAnyDialect) {
                assertThat(verdict.problem()).as("names the dialect").contains(dialect.displayName() + " rules");
            }
        }
        Verdict everywhere = StatementCheck.checkEveryDialect(h.sql(), h.allowAnySql());
        assertThat(everywhere.passed()).isFalse();
        assertThat(everywhere.problem()).isNotBlank();
    }

    private static final List<String> LEGITIMATE = List.of(
            "SELECT 1",
            "SELECT count(*) AS n FROM orders",
            "SELECT status, count(*) FROM orders GROUP BY status",
            "SELECT status, count(*) AS n FROM orders WHERE created_at > CURRENT_TIMESTAMP - INTERVAL '1' HOUR "
                    + "GROUP BY status HAVING count(*) > 0 ORDER BY n DESC",
            "WITH recent AS (SELECT * FROM orders WHERE created_at > LOCALTIMESTAMP - INTERVAL '10' MINUTE)\n"
                    + "SELECT count(*) FROM recent",
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT sum(n) FROM r",
            "SELECT region, amount, rank() OVER (PARTITION BY region ORDER BY amount DESC) AS r FROM sales",
            "SELECT CASE WHEN paid THEN 'paid' ELSE 'unpaid' END AS state, count(*) FROM invoices GROUP BY 1",
            "SELECT count(*) FROM t WHERE note = 'a; b'",
            "SELECT count(*) FROM t WHERE note LIKE '%--%'",
            "SELECT count(*) FROM t WHERE note LIKE '/*%'",
            "SELECT \"weird;name\" FROM t",
            "SELECT count(*) AS \"a--b\" FROM t",
            "SELECT 'it''s' AS s",
            "SELECT 1 /* ; */ AS n",
            "SELECT 1 -- ; not a second statement\n AS n",
            "SELECT 1;",
            "SELECT 1; -- trailing comment",
            "SELECT 1; /* trailing */ -- and more\n",
            "(SELECT 1) UNION (SELECT 2)",
            "((SELECT 1))",
            "VALUES (1, 'a'), (2, 'b')",
            "SELECT '客户' AS kunde, count(*) AS 数量 FROM t",
            "SELECT 1 AS \"客户\"",
            "SELECT count(*) FROM t WHERE ts > LOCALTIMESTAMP - INTERVAL '10' MINUTE",
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY latency) FROM requests",
            "SELECT count(*) FILTER (WHERE deleted) AS deleted, max(updated_at) AS updated_at FROM t",
            "SELECT updated_at, deleted, created_by FROM t WHERE deleted = false",
            "SELECT id::int, amount::numeric(10,2) FROM t",
            "SELECT count(*) FROM prices WHERE label = '$5'",
            "SELECT '$$' AS d",
            "SELECT count(*) FROM t WHERE a = 'x' -- comment at the end",
            "SELECT a.b, c.\"D\" FROM s.t a JOIN s.u c ON a.id = c.id",
            "SELECT count(DISTINCT user_id) FROM sessions WHERE last_seen >= now() - interval '5 minutes'",
            "SELECT coalesce(sum(amount), 0) AS total FROM payments WHERE status IN ('ok', 'refunded')",
            "SELECT date_trunc('hour', created_at) AS h, count(*) FROM t GROUP BY 1 ORDER BY 1 DESC LIMIT 24",
            "SELECT TRUNCATE(price, 2) FROM t",
            "SELECT REPLACE(name, 'a', 'b') FROM t",
            "SELECT LAST_INSERT_ID()",
            "SELECT pg_try_advisory_xact_lock(1)",
            "SELECT pg_advisory_xact_lock(1)",
            "SELECT IS_FREE_LOCK('x'), IS_USED_LOCK('x')",
            "SELECT 1--1",
            "SELECT q'[;]' FROM dual",
            "SELECT q'{;}', Q'(;)', q'<;>', q'!;!', nq'[;]', Nq'#;#' FROM dual",
            "SELECT count(*) FROM t /*+ hint */",
            "SELECT /*+ INDEX(t t_idx) */ count(*) FROM t",
            "SELECT 'a\\b' AS backslash",
            "SELECT count(*) AS \"delete\" FROM t",
            "SELECT n FROM (VALUES (1), (2)) AS v(n)",
            "  \n  SELECT 1  \n",
            "SELECT /* multi\nline\ncomment */ 1",
            "SELECT count(*) FROM \"order\" WHERE \"status\" = 'open'",
            "SELECT sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) * 100.0 / NULLIF(count(*), 0) AS failure_pct "
                    + "FROM jobs",
            "SELECT 1e3, .5, 0.25, 10, 1.5E-3",
            "SELECT x FROM t WHERE name LIKE 'a!%' ESCAPE '!'",
            "SELECT 'FOR UPDATE; DELETE FROM t' AS text",
            "SELECT current_setting('server_version_num')::int AS v",
            "SELECT count(*) FROM t WHERE note = 'tab\there'",
            "SELECT x FROM t WHERE a = E'\\\\n'",
            "SELECT CURRENT_TIMESTAMP AS now_ts, session_user",
            "SELECT count(*) AS \"客户;数\" FROM t;\n-- done\n",
            "SELECT `delete`, `order`, `update` FROM `t`");

    static Stream<String> legitimate() {
        return LEGITIMATE.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("legitimate")
    void legitimateQueriesPassUnderEveryDialect(String sql) {
        for (Dialect dialect : Dialect.values()) {
            Verdict verdict = StatementCheck.check(sql, false, dialect);
            assertThat(verdict.passed()).as("under %s: %s", dialect, verdict.problem()).isTrue();
            assertThat(verdict.isQuery()).isTrue();
            assertThat(verdict.problem()).isNull();
        }
        Verdict everywhere = StatementCheck.checkEveryDialect(sql, false);
        assertThat(everywhere.passed()).as(everywhere.problem()).isTrue();
        assertThat(everywhere.statement()).isNotEmpty().doesNotEndWith(";");
        assertThat(StatementCheck.checkEveryDialect(sql, true).passed()).isTrue();
        String wrapped = "SELECT * FROM (\n" + everywhere.statement() + "\n) bizmetrics_q";
        assertThat(StatementCheck.checkEveryDialect(wrapped, false).statement()).isEqualTo(wrapped);
    }

    /** For the record, and for the README: which queries pass under one dialect and not another. */
    static Stream<Arguments> dialectSpecific() {
        return Stream.of(
                Arguments.of("SELECT 1 # ; MySQL comment", EnumSet.of(MYSQL)),
                Arguments.of("SELECT 1 // ; H2 comment", EnumSet.of(H2)),
                Arguments.of("SELECT $$a;b$$", EnumSet.of(POSTGRESQL, H2)),
                Arguments.of("SELECT $q$a;b$q$", EnumSet.of(POSTGRESQL)),
                Arguments.of("SELECT q'[a';'b]' FROM dual", EnumSet.of(ORACLE)),
                Arguments.of("SELECT 1 /* /* */ ; -- */", EnumSet.of(POSTGRESQL, MYSQL, ORACLE)),
                Arguments.of("SELECT `weird;name` FROM t", EnumSet.of(MYSQL, H2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialectSpecific")
    void someQueriesPassOnlyUnderSomeDialects(String sql, Set<Dialect> passers) {
        for (Dialect dialect : Dialect.values()) {
            assertThat(StatementCheck.check(sql, false, dialect).passed()).as("under %s", dialect)
                    .isEqualTo(passers.contains(dialect));
        }
    }
}
