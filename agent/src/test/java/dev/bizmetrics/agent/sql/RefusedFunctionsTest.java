package dev.bizmetrics.agent.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RefusedFunctionsTest {

    @Test
    void everyDialectHasItsListAndTheBriefsMinimumIsInIt() {
        Map<Dialect, List<String>> lists = RefusedFunctions.refusedFunctions();
        assertThat(lists.keySet()).containsExactlyInAnyOrder(Dialect.values());
        assertThat(lists.get(Dialect.POSTGRESQL)).contains("pg_advisory_lock", "pg_advisory_lock_shared",
                "pg_try_advisory_lock", "pg_try_advisory_lock_shared", "pg_advisory_unlock",
                "pg_advisory_unlock_shared", "pg_advisory_unlock_all", "pg_terminate_backend", "pg_cancel_backend",
                "pg_reload_conf", "pg_rotate_logfile", "pg_switch_wal", "pg_create_*", "pg_promote",
                "pg_logical_emit_message", "pg_stat_reset*", "pg_stat_statements_reset", "dblink*", "lo_*", "lowrite",
                "pg_file_*", "pg_read_file", "pg_read_binary_file", "pg_ls_*", "pg_stat_file", "query_to_xml*",
                "cursor_to_xml*", "ts_stat", "crosstab*", "nextval", "setval")
                .doesNotContain("pg_advisory_xact_lock", "pg_try_advisory_xact_lock");
        assertThat(lists.get(Dialect.MYSQL)).contains("get_lock", "release_lock", "release_all_locks",
                "last_insert_id", "load_file", "master_pos_wait", "source_pos_wait", "nextval", "setval", "lastval",
                "NEXT VALUE FOR", "PREVIOUS VALUE FOR", "sys_exec", "sys_eval", "@var := ...")
                .doesNotContain("is_free_lock", "is_used_lock", "sleep", "benchmark");
        assertThat(lists.get(Dialect.ORACLE)).contains("dbms_*", "utl_*", "httpuritype", "<sequence>.NEXTVAL");
        assertThat(lists.get(Dialect.H2)).contains("set", "file_write", "file_read", "csvwrite", "csvread",
                "link_schema", "cancel_session", "abort_session", "NEXT VALUE FOR", "nextval", "setval")
                .doesNotContain("currval");
    }

    @Test
    void everyCallableEntryIsRefusedWhenCalledUnderItsDialect() {
        for (Dialect dialect : Dialect.values()) {
            for (RefusedFunctions.Entry entry : RefusedFunctions.entries(dialect)) {
                if (entry.form() == RefusedFunctions.Form.SEQUENCE_OF_TOKENS) {
                    continue;
                }
                String name = entry.name().replace("*", "_x");
                String sql = "SELECT " + name + "(1)";
                Verdict verdict = StatementCheck.check(sql, true, dialect);
                assertThat(verdict.passed()).as("%s under %s", sql, dialect).isFalse();
                assertThat(verdict.problem()).contains(entry.reason()).contains(dialect.displayName());
            }
        }
    }

    @Test
    void theMarkdownTableHasARowForEveryReason() {
        String table = RefusedFunctions.markdownTable();
        assertThat(table).startsWith("| Database | Refused | Why |");
        for (Dialect dialect : Dialect.values()) {
            for (RefusedFunctions.Entry entry : RefusedFunctions.entries(dialect)) {
                assertThat(table).contains(entry.reason()).contains("`" + entry.name());
            }
        }
    }
}
