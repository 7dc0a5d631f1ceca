package dev.bizmetrics.agent.sql;

import java.util.HashMap;
import java.util.Map;

/** The keyword tables of the check: which statements and words are refused, and why, in a few words. */
final class StatementRules {

    private StatementRules() {
    }

    /** What a query may start with (after comments and opening parentheses). */
    static boolean isQueryStart(String upper) {
        return upper.equals("SELECT") || upper.equals("WITH") || upper.equals("VALUES");
    }

    private static final String TRANSACTION = "ends or changes the agent's read-only transaction";
    private static final String SESSION = "changes the session beyond the run";
    private static final String UNCHECKED_CODE = "runs code the agent cannot check";
    private static final String OUTSIDE = "acts outside the transaction (files, other sessions or the server)";

    /**
     * Statements refused even with allow-any-sql=true: their effect outlives the run on the host's connection or
     * escapes the transaction the agent rolls back, which allow-any-sql never lifts. {@code ALTER} counts only as
     * {@code ALTER SESSION} and {@code ALTER SYSTEM}.
     */
    static final Map<String, String> SESSION_STATEMENTS = new HashMap<String, String>();

    static {
        for (String word : new String[] {"BEGIN", "START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "END",
                "ABORT", "XA"}) {
            SESSION_STATEMENTS.put(word, TRANSACTION);
        }
        for (String word : new String[] {"SET", "RESET", "USE", "DISCARD", "PREPARE", "DEALLOCATE", "LISTEN",
                "UNLISTEN", "HANDLER", "LOCK", "UNLOCK"}) {
            SESSION_STATEMENTS.put(word, SESSION);
        }
        for (String word : new String[] {"EXECUTE", "EXEC", "DO"}) {
            SESSION_STATEMENTS.put(word, UNCHECKED_CODE);
        }
        for (String word : new String[] {"COPY", "LOAD", "FLUSH", "KILL", "SHUTDOWN", "RESTART", "CHECKPOINT",
                "VACUUM", "PURGE", "INSTALL", "UNINSTALL", "BACKUP", "RUNSCRIPT", "SCRIPT"}) {
            SESSION_STATEMENTS.put(word, OUTSIDE);
        }
    }

    /** {@code ALTER SESSION} and {@code ALTER SYSTEM}: the second word, and why. */
    static final Map<String, String> ALTER_STATEMENTS = new HashMap<String, String>();

    static {
        ALTER_STATEMENTS.put("SESSION", SESSION);
        ALTER_STATEMENTS.put("SYSTEM", OUTSIDE);
    }

    /**
     * Words refused anywhere as code unless allow-any-sql=true: they change data, the schema or the transaction,
     * or write a result somewhere. {@code REPLACE} counts only before {@code INTO} and {@code TRUNCATE} only when
     * no {@code (} follows (both are also string and number functions).
     */
    static final Map<String, String> CHANGING_WORDS = new HashMap<String, String>();

    static {
        for (String word : new String[] {"INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE", "TRUNCATE"}) {
            CHANGING_WORDS.put(word, "changes data");
        }
        for (String word : new String[] {"CREATE", "DROP", "ALTER", "RENAME", "GRANT", "REVOKE"}) {
            CHANGING_WORDS.put(word, "changes the schema or privileges");
        }
        for (String word : new String[] {"COMMIT", "ROLLBACK", "SAVEPOINT"}) {
            CHANGING_WORDS.put(word, "controls the transaction");
        }
        for (String word : new String[] {"CALL", "EXEC", "EXECUTE"}) {
            CHANGING_WORDS.put(word, "runs a procedure or a prepared statement");
        }
        CHANGING_WORDS.put("COPY", "copies data to or from files");
        CHANGING_WORDS.put("INTO", "writes the result into a table, a file or variables");
    }

    /** The upper-case changing word that {@code text[from, to)} is, ignoring case, or null; without copying it. */
    static String changingWord(String text, int from, int to) {
        int length = to - from;
        if (length < 4 || length > 9) {
            return null;
        }
        for (String word : CHANGING_WORD_LIST) {
            if (word.length() == length && text.regionMatches(true, from, word, 0, length)) {
                return word;
            }
        }
        return null;
    }

    private static final String[] CHANGING_WORD_LIST = CHANGING_WORDS.keySet().toArray(new String[0]);

    /** The locking-read spellings, each a sequence of words; refused even with allow-any-sql=true. */
    static final String[][] LOCKING_READS = {
        {"FOR", "UPDATE"},
        {"FOR", "SHARE"},
        {"FOR", "KEY", "SHARE"},
        {"FOR", "NO", "KEY", "UPDATE"},
        {"LOCK", "IN", "SHARE", "MODE"},
    };
}
