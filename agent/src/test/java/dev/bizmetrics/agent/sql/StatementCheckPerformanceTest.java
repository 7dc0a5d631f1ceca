package dev.bizmetrics.agent.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The check is linear: a megabyte of SQL, shaped to hurt a regex or a quadratic scan, is checked under every
 * dialect without trouble. Nothing here is timed against a budget (the machine is shared); the timeout only stops
 * a hang or a quadratic blow-up, which would take minutes at this size.
 */
class StatementCheckPerformanceTest {

    private static final int MEGABYTE = 1 << 20;
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    private static String repeat(String unit) {
        return unit.repeat(MEGABYTE / unit.length() + 1);
    }

    private static Verdict everyDialect(Supplier<String> text, boolean allowAnySql) {
        String sql = text.get();
        assertThat(sql.length()).isGreaterThanOrEqualTo(MEGABYTE - 16);
        return assertTimeoutPreemptively(GENEROUS, () -> {
            long start = System.nanoTime();
            Verdict verdict = StatementCheck.checkEveryDialect(sql, allowAnySql);
            System.out.printf("%,d chars in %d ms: %s%n", sql.length(), (System.nanoTime() - start) / 1_000_000,
                    verdict.passed() ? "passed" : verdict.problem());
            return verdict;
        });
    }

    @Test
    void aMegabyteQueryThatPassesEveryReading() {
        Verdict verdict = everyDialect(() -> "SELECT 1" + repeat(" + a /* c; */ + 'x;y''z' -- d\n"), false);
        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.statement().length()).isGreaterThan(MEGABYTE - 64);
    }

    @Test
    void aMegabyteOfNamesAndCalls() {
        assertThat(everyDialect(() -> "SELECT " + repeat("coalesce(a.b, \"c\", d(1)) + ") + "0", false).passed())
                .isTrue();
    }

    @Test
    void shapesThatWouldHurtABacktrackingOrQuadraticScan() {
        String[] units = {
            "(", "'", "\"", "/*", "/* /* ", "*/", "$$", "$a$", "$", "$1", "--", "#", "//", "E'\\", "q'[", "\\",
            "/*!x*/", "/*!x*/ y ", "FOR ", "FOR NO KEY ", "@a.", "@", "NEXT VALUE ", "INTO ", "U&\"x\" ", "`", "[",
            ";", "; ", "x y ", "1", "1e", "a$b", "\u00e9", "\uD83D\uDE00"
        };
        for (String unit : units) {
            Verdict verdict = everyDialect(() -> "SELECT " + repeat(unit), false);
            assertThat(verdict.passed() || verdict.problem() != null).isTrue();
        }
    }

    @Test
    void aLongStatementRefusedAtItsVeryEnd() {
        Verdict verdict = everyDialect(() -> "SELECT 1" + repeat(" + 1") + " FOR UPDATE", true);
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.problem()).contains("FOR UPDATE");
    }
}
