package dev.bizmetrics.agent.runtime;

import dev.bizmetrics.agent.testing.Configs;
import dev.bizmetrics.agent.config.QuerySpec;
import dev.bizmetrics.agent.engine.Outcome;
import dev.bizmetrics.agent.engine.QueryResult;
import dev.bizmetrics.agent.state.QueryState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A query that keeps failing is retried less and less often; one that could not get a connection is not, nor one
 * whose tables do not exist yet before its first success (a first deployment).
 */
class BackOffTest {

    @TempDir
    Path dir;

    @Test
    void aFailingQueryBacksOffUpToEightTimesItsInterval() {
        QuerySpec query = Configs.query(dir, "metric.m.sql=SELECT 1 AS v\nmetric.m.interval=10s\n");
        QueryState state = QueryState.initial(query);
        QueryResult failure = QueryResult.failure(Outcome.ERROR, 0L, 0.1, "down");
        long[] delays = new long[5];
        for (int i = 0; i < delays.length; i++) {
            state = state.after(failure);
            delays[i] = state.nextDelayMillis();
        }
        assertThat(delays).containsExactly(10_000L, 20_000L, 40_000L, 80_000L, 80_000L);
    }

    @Test
    void aRunThatGotNoConnectionDoesNotBackOff() {
        QuerySpec query = Configs.query(dir, "metric.m.sql=SELECT 1 AS v\nmetric.m.interval=10s\n");
        QueryResult starved = QueryResult.connectionFailure(0L, 0.5, "no connection from the pool within 500 ms");
        QueryState state = QueryState.initial(query).after(starved).after(starved);
        assertThat(state.nextDelayMillis()).isEqualTo(10_000L);
    }

    @Test
    void aMissingTableBeforeTheFirstSuccessDoesNotBackOffAndAfterItDoes() {
        QuerySpec query = Configs.query(dir, "metric.m.sql=SELECT 1 AS v\nmetric.m.interval=10s\n");
        QueryResult missing = QueryResult.missingSchema(0L, 0.1, "relation \"orders\" does not exist");
        QueryState state = QueryState.initial(query);
        for (int i = 0; i < 5; i++) {
            assertThat(state.awaitsSchema(missing)).isTrue();
            state = state.after(missing);
        }
        assertThat(state.nextDelayMillis()).isEqualTo(10_000L);
        assertThat(state.runs(Outcome.ERROR)).isEqualTo(5);

        // A run that succeeded, as the state sees it (its outcome and start).
        QueryState ran = state.after(QueryResult.failure(Outcome.SUCCESS, 1000L, 0.1, null));
        assertThat(ran.awaitsSchema(missing)).isFalse();
        assertThat(ran.after(missing).after(missing).nextDelayMillis()).isEqualTo(20_000L);
    }
}
