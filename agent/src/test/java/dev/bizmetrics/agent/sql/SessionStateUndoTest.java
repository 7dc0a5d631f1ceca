package dev.bizmetrics.agent.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a query leaves on an H2 session is found after the run and undone: a new variable, a changed setting. */
class SessionStateUndoTest {

    @Test
    void aNewVariableIsRemovedAndAChangedOneSetBack() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:session_undo")) {
            execute(connection, "SET @KEPT = 1");
            SessionGuard guard = SessionGuard.of(connection);
            assertThat(guard).isInstanceOf(H2Session.class);
            Object before = guard.before(connection, 1000);
            execute(connection, "SET @LEFT_BY_QUERY = 42");
            execute(connection, "SET @KEPT = 2");
            List<String> undone = guard.after(connection, before);
            assertThat(undone).containsExactlyInAnyOrder("session variable @LEFT_BY_QUERY (removed)",
                    "session state @KEPT (set back)");
            assertThat(value(connection, "@LEFT_BY_QUERY")).isNull();
            assertThat(value(connection, "@KEPT")).isEqualTo("1");
            assertThat(guard.after(connection, guard.before(connection, 1000))).isEmpty();
        }
    }

    static void execute(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static String value(Connection connection, String variable) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT " + variable)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
