package dev.bizmetrics.agent.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions, and the few other forms, that the agent refuses under each database's rules even with
 * {@code allow-any-sql=true}: their effect outlives the run on the host's connection, or reaches outside the
 * transaction that the agent rolls back (session locks, session variables, sequences, files, the network, other
 * sessions, the server), or they run SQL given as text, which no check can see into.
 *
 * <p>This table is the one source of truth: the check reads it, and {@link #markdownTable()} renders it for the
 * README. A name ending in {@code *} stands for every name starting so. A function is matched by its last name part
 * (so {@code pg_catalog.pg_advisory_lock} and {@code "pg_advisory_lock"} count), ignoring case, when a {@code (}
 * follows it (comments and whitespace between are fine); Oracle packages are matched wherever they are named, as
 * Oracle calls a function without arguments without parentheses.
 *
 * <table>
 * <caption>Refused forms by database</caption>
 * <tr><th>Database</th><th>Refused</th></tr>
 * <tr><td>PostgreSQL</td><td>session advisory locks ({@code pg_advisory_lock}, {@code pg_try_advisory_lock}, the
 * {@code _shared} variants and the unlocks; the {@code _xact_} ones are fine), {@code pg_terminate_backend},
 * {@code pg_cancel_backend}, configuration, WAL, backup and recovery control, replication slots and origins,
 * {@code pg_stat_reset*}, {@code dblink*}, {@code lo_*}, server file access, functions that run SQL given as text
 * ({@code query_to_xml*}, {@code ts_stat}, {@code crosstab*}, ...), {@code nextval}, {@code setval}</td></tr>
 * <tr><td>MySQL/MariaDB</td><td>{@code GET_LOCK}, {@code RELEASE_LOCK}, {@code RELEASE_ALL_LOCKS}, the locking
 * service, {@code LAST_INSERT_ID(expr)}, {@code LOAD_FILE}, replication waits, sequences (functions and
 * {@code NEXT VALUE FOR}), {@code @var := ...}, {@code INTO OUTFILE/DUMPFILE/@var}, {@code sys_exec}-style
 * UDFs</td></tr>
 * <tr><td>Oracle</td><td>every {@code DBMS_*}, {@code UTL_*} and {@code OWA_*} package, {@code HTP}, {@code HTF},
 * {@code HTTPURITYPE}, {@code URIFACTORY}, {@code APEX_WEB_SERVICE}, {@code <sequence>.NEXTVAL}</td></tr>
 * <tr><td>H2</td><td>{@code SET(@x, ...)}, {@code FILE_READ}, {@code FILE_WRITE}, {@code CSVREAD},
 * {@code CSVWRITE}, {@code LINK_SCHEMA}, {@code CANCEL_SESSION}, {@code ABORT_SESSION}, sequences
 * ({@code NEXTVAL}, {@code SETVAL}, {@code NEXT VALUE FOR}); {@code CURRVAL} only reads and is allowed</td></tr>
 * </table>
 */
public final class RefusedFunctions {

    /** How an entry is found in a statement. */
    enum Form {
        /** A name followed by {@code (}. */
        CALL,
        /** A name followed by {@code (} and at least one argument ({@code LAST_INSERT_ID(5)}, not {@code ()}). */
        CALL_WITH_ARGUMENTS,
        /** A name anywhere (Oracle packages). */
        REFERENCE,
        /** A token sequence that {@link Inspection} looks for by the entry's name. */
        SEQUENCE_OF_TOKENS
    }

    /** One refused name or form, with why, in a few words a user reads in the refusal. */
    public static final class Entry {
        private final String name;
        private final String reason;
        private final Form form;

        Entry(String name, String reason, Form form) {
            this.name = name;
            this.reason = reason;
            this.form = form;
        }

        /** As written in the docs: {@code pg_advisory_lock}, {@code lo_*}, {@code NEXT VALUE FOR}. */
        public String name() {
            return name;
        }

        /** Why it is refused: "takes a session lock that outlives the run". */
        public String reason() {
            return reason;
        }

        Form form() {
            return form;
        }

        boolean isPrefix() {
            return name.endsWith("*");
        }
    }

    // Reasons, shared by the entries they fit.
    private static final String SESSION_LOCK = "takes a session lock that outlives the run";
    private static final String RELEASES_LOCKS = "releases session locks the host may hold";
    private static final String OTHER_SESSIONS = "acts on other sessions or server processes";
    private static final String SERVER_STATE = "changes the server's state outside the transaction";
    private static final String REPLICATION = "changes replication state outside the transaction";
    private static final String STATISTICS = "resets statistics outside the transaction";
    private static final String REMOTE = "reaches another server or the network outside the transaction";
    private static final String FILES = "reads or writes files on the database server";
    private static final String LARGE_OBJECTS = "works on large objects (lo_import and lo_export touch server files)";
    private static final String SQL_TEXT = "runs SQL given as text, which the agent cannot check";
    private static final String CURSOR = "reads from a cursor, which may be the host's";
    private static final String SEQUENCE = "advances or sets a sequence, which no rollback undoes";
    private static final String SEQUENCE_STATE = "uses a sequence's session state (refused with NEXTVAL and SETVAL)";
    private static final String SESSION_STATE = "sets session state that outlives the run";
    private static final String MAINTENANCE = "changes tables or indexes outside the query";
    private static final String WAIT = "waits on replication, holding the host's connection";
    private static final String PROGRAM = "runs a program or changes the server's environment";
    private static final String KEYRING = "reads or changes the server's keyring";
    private static final String AUDIT = "changes the server's audit log";
    private static final String VERSION_TOKENS = "takes session locks or changes server state (version tokens)";
    private static final String PACKAGE = "is a PL/SQL package that can keep session state, take locks, run SQL "
            + "from text or do I/O";
    private static final String UTL = "does file or network I/O from the database server";
    private static final String WEB = "writes to the session's web toolkit buffers";
    private static final String URL = "fetches a URL from the database server";

    /** Names of the token-sequence entries, which {@link Inspection} looks up to word its refusals. */
    static final String NEXT_VALUE_FOR = "NEXT VALUE FOR";
    static final String PREVIOUS_VALUE_FOR = "PREVIOUS VALUE FOR";
    static final String DOT_NEXTVAL = "<sequence>.NEXTVAL";
    static final String USER_VARIABLE = "@var := ...";
    static final String INTO_FILE = "INTO OUTFILE, INTO DUMPFILE";
    static final String INTO_VARIABLE = "INTO @var";

    private static final Map<Dialect, List<Entry>> ENTRIES = new EnumMap<Dialect, List<Entry>>(Dialect.class);
    private static final Map<Dialect, Map<String, Entry>> EXACT = new EnumMap<Dialect, Map<String, Entry>>(
            Dialect.class);

    static {
        Dialect d = Dialect.POSTGRESQL;
        calls(d, SESSION_LOCK, "pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock",
                "pg_try_advisory_lock_shared");
        calls(d, RELEASES_LOCKS, "pg_advisory_unlock", "pg_advisory_unlock_shared", "pg_advisory_unlock_all");
        calls(d, OTHER_SESSIONS, "pg_terminate_backend", "pg_cancel_backend", "pg_log_backend_memory_contexts");
        calls(d, SERVER_STATE, "pg_reload_conf", "pg_rotate_logfile", "pg_rotate_logfile_old", "pg_switch_wal",
                "pg_switch_xlog", "pg_start_backup", "pg_stop_backup", "pg_backup_start", "pg_backup_stop",
                "pg_promote", "pg_wal_replay_pause", "pg_wal_replay_resume", "pg_xlog_replay_pause",
                "pg_xlog_replay_resume", "pg_log_standby_snapshot");
        calls(d, REPLICATION, "pg_create_*", "pg_drop_replication_slot", "pg_copy_*", "pg_replication_slot_advance",
                "pg_logical_slot_get_*", "pg_logical_emit_message", "pg_replication_origin_*",
                "pg_sync_replication_slots");
        calls(d, STATISTICS, "pg_stat_reset*", "pg_stat_statements_reset");
        calls(d, REMOTE, "dblink*", "http_*");
        calls(d, FILES, "pg_read_file", "pg_read_binary_file", "pg_stat_file", "pg_ls_*", "pg_file_*",
                "pg_logdir_ls");
        calls(d, LARGE_OBJECTS, "lo_*", "lowrite", "loread");
        calls(d, SQL_TEXT, "query_to_xml*", "ts_stat", "ts_rewrite", "crosstab*", "connectby", "pg_background_*");
        calls(d, CURSOR, "cursor_to_xml*");
        calls(d, SEQUENCE, "nextval", "setval");
        calls(d, MAINTENANCE, "brin_summarize_new_values", "brin_summarize_range", "brin_desummarize_range",
                "gin_clean_pending_list", "pg_import_system_collations", "pg_truncate_visibility_map",
                "heap_force_kill", "heap_force_freeze", "binary_upgrade_*");

        d = Dialect.MYSQL;
        calls(d, SESSION_LOCK, "get_lock", "service_get_read_locks", "service_get_write_locks");
        calls(d, RELEASES_LOCKS, "release_lock", "release_all_locks", "service_release_locks");
        calls(d, VERSION_TOKENS, "version_tokens_*");
        add(d, new Entry("last_insert_id", SESSION_STATE + " when given an argument", Form.CALL_WITH_ARGUMENTS));
        calls(d, FILES, "load_file");
        calls(d, WAIT, "master_pos_wait", "source_pos_wait", "master_gtid_wait", "wait_for_executed_gtid_set",
                "wait_until_sql_thread_after_gtids");
        calls(d, SEQUENCE, "nextval", "setval");
        calls(d, SEQUENCE_STATE, "lastval");
        calls(d, PROGRAM, "sys_exec", "sys_eval", "sys_set", "sys_get");
        calls(d, KEYRING, "keyring_key_*");
        calls(d, AUDIT, "audit_log_*");
        add(d, new Entry(NEXT_VALUE_FOR, SEQUENCE, Form.SEQUENCE_OF_TOKENS));
        add(d, new Entry(PREVIOUS_VALUE_FOR, SEQUENCE_STATE, Form.SEQUENCE_OF_TOKENS));
        add(d, new Entry(DOT_NEXTVAL, SEQUENCE, Form.SEQUENCE_OF_TOKENS));
        add(d, new Entry(USER_VARIABLE, "assigns a user variable, which outlives the run", Form.SEQUENCE_OF_TOKENS));
        add(d, new Entry(INTO_FILE, "writes a file on the database server", Form.SEQUENCE_OF_TOKENS));
        add(d, new Entry(INTO_VARIABLE, "assigns user variables, which outlive the run", Form.SEQUENCE_OF_TOKENS));

        d = Dialect.ORACLE;
        references(d, PACKAGE, "dbms_*");
        references(d, UTL, "utl_*");
        references(d, WEB, "owa_*", "htp", "htf");
        references(d, URL, "httpuritype", "urifactory", "apex_web_service");
        add(d, new Entry(DOT_NEXTVAL, SEQUENCE, Form.SEQUENCE_OF_TOKENS));

        d = Dialect.H2;
        add(d, new Entry("set", "sets a session variable (SET(@x, ...)) that outlives the run", Form.CALL));
        calls(d, FILES, "file_read", "file_write", "csvread", "csvwrite");
        calls(d, "links another database's tables, creating them", "link_schema");
        calls(d, OTHER_SESSIONS, "cancel_session", "abort_session");
        calls(d, SEQUENCE, "nextval", "setval");
        add(d, new Entry(NEXT_VALUE_FOR, SEQUENCE, Form.SEQUENCE_OF_TOKENS));
        add(d, new Entry(DOT_NEXTVAL, SEQUENCE, Form.SEQUENCE_OF_TOKENS));

        for (Dialect each : Dialect.values()) {
            ENTRIES.put(each, Collections.unmodifiableList(ENTRIES.get(each)));
        }
    }

    /** The callable and referenced entries by the first letter of their name, so that a lookup compares few. */
    private static final Map<Dialect, List<Entry>[]> BY_FIRST_LETTER = new EnumMap<Dialect, List<Entry>[]>(
            Dialect.class);

    static {
        for (Dialect dialect : Dialect.values()) {
            @SuppressWarnings("unchecked")
            List<Entry>[] buckets = new List[27];
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new ArrayList<Entry>();
            }
            for (Entry entry : ENTRIES.get(dialect)) {
                if (entry.form != Form.SEQUENCE_OF_TOKENS) {
                    buckets[bucket(entry.name.charAt(0))].add(entry);
                }
            }
            BY_FIRST_LETTER.put(dialect, buckets);
        }
    }

    private static int bucket(char c) {
        char lower = Character.toLowerCase(c);
        return lower >= 'a' && lower <= 'z' ? lower - 'a' : 26;
    }

    private RefusedFunctions() {
    }

    private static void calls(Dialect dialect, String reason, String... names) {
        for (String name : names) {
            add(dialect, new Entry(name, reason, Form.CALL));
        }
    }

    private static void references(Dialect dialect, String reason, String... names) {
        for (String name : names) {
            add(dialect, new Entry(name, reason, Form.REFERENCE));
        }
    }

    private static void add(Dialect dialect, Entry entry) {
        if (!ENTRIES.containsKey(dialect)) {
            ENTRIES.put(dialect, new ArrayList<Entry>());
            EXACT.put(dialect, new HashMap<String, Entry>());
        }
        ENTRIES.get(dialect).add(entry);
        if (entry.form == Form.SEQUENCE_OF_TOKENS) {
            EXACT.get(dialect).put(entry.name, entry);
        }
    }

    /** Every refused name or form by dialect, as written in {@link Entry#name()}, in the table's order. */
    public static Map<Dialect, List<String>> refusedFunctions() {
        Map<Dialect, List<String>> names = new EnumMap<Dialect, List<String>>(Dialect.class);
        for (Map.Entry<Dialect, List<Entry>> each : ENTRIES.entrySet()) {
            List<String> list = new ArrayList<String>();
            for (Entry entry : each.getValue()) {
                list.add(entry.name);
            }
            names.put(each.getKey(), Collections.unmodifiableList(list));
        }
        return Collections.unmodifiableMap(names);
    }

    /** The entries of one dialect, with their reasons. */
    public static List<Entry> entries(Dialect dialect) {
        return ENTRIES.get(dialect);
    }

    /** The table as Markdown, one row a reason, for the README. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder("| Database | Refused | Why |\n| --- | --- | --- |\n");
        for (Dialect dialect : Dialect.values()) {
            Map<String, List<String>> byReason = new LinkedHashMap<String, List<String>>();
            for (Entry entry : ENTRIES.get(dialect)) {
                if (!byReason.containsKey(entry.reason)) {
                    byReason.put(entry.reason, new ArrayList<String>());
                }
                byReason.get(entry.reason).add("`" + entry.name + (entry.form == Form.SEQUENCE_OF_TOKENS
                        || entry.form == Form.REFERENCE ? "" : "()") + "`");
            }
            for (Map.Entry<String, List<String>> row : byReason.entrySet()) {
                out.append("| ").append(dialect.displayName()).append(" | ")
                        .append(join(row.getValue())).append(" | ").append(row.getKey()).append(" |\n");
            }
        }
        return out.toString();
    }

    private static String join(List<String> parts) {
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(part);
        }
        return out.toString();
    }

    /** The entry for a name that is called (or, for Oracle, named) under a dialect; null when it is fine. */
    static Entry find(Dialect dialect, String name) {
        return find(dialect, name, 0, name.length());
    }

    /**
     * The same for the name {@code text[from, to)}, without copying it: this runs for every call in a statement
     * (and, for Oracle, every name), under a dozen readings.
     */
    static Entry find(Dialect dialect, String text, int from, int to) {
        int length = to - from;
        if (length == 0) {
            return null;
        }
        for (Entry entry : BY_FIRST_LETTER.get(dialect)[bucket(text.charAt(from))]) {
            String name = entry.name;
            if (entry.isPrefix()) {
                int prefix = name.length() - 1;
                if (length >= prefix && text.regionMatches(true, from, name, 0, prefix)) {
                    return entry;
                }
            } else if (length == name.length() && text.regionMatches(true, from, name, 0, length)) {
                return entry;
            }
        }
        return null;
    }

    /** A token-sequence entry by its name, or null when the dialect does not refuse it. */
    static Entry form(Dialect dialect, String name) {
        Entry entry = EXACT.get(dialect).get(name);
        return entry != null && entry.form == Form.SEQUENCE_OF_TOKENS ? entry : null;
    }

    /** True when the dialect refuses some name wherever it appears, not only when called. */
    static boolean hasReferences(Dialect dialect) {
        for (Entry entry : ENTRIES.get(dialect)) {
            if (entry.form == Form.REFERENCE) {
                return true;
            }
        }
        return false;
    }
}
