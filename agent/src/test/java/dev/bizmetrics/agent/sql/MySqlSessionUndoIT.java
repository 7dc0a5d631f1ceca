package dev.bizmetrics.agent.sql;

import static dev.bizmetrics.agent.sql.SessionStateUndoTest.execute;
import static dev.bizmetrics.agent.sql.SessionStateUndoTest.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** On MariaDB (127.0.0.1:3306), user variables a query leaves are found after the run and put back. */
class MySqlSessionUndoIT {

    @Test
    void aNewUserVariableIsSetToNullAgainAndAChangedOneRestoredWithItsType() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/test", "root", "")) {
            execute(connection, "SET @kept = 7");
            execute(connection, "SET @text = 'it''s'");
            SessionGuard guard = SessionGuard.of(connection);
            assertThat(guard).isInstanceOf(MySqlSession.class);
            Object before = guard.before(connection, 1000);
            execute(connection, "SET @left_by_query = 42");
            execute(connection, "SET @kept = 8");
            execute(connection, "SET @text = 'changed'");
            List<String> undone = guard.after(connection, before);
            assertThat(undone).containsExactlyInAnyOrder("user variable @left_by_query (set to NULL again)",
                    "user variable @kept (its value restored)", "user variable @text (its value restored)");
            assertThat(value(connection, "@left_by_query")).isNull();
            assertThat(value(connection, "@kept")).isEqualTo("7");
            assertThat(value(connection, "@kept + 1")).isEqualTo("8");
            assertThat(value(connection, "@text")).isEqualTo("it's");
        }
    }
}
