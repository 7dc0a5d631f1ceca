package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The README's compatibility table, generated from what the pool tests verified in this run:
 * {@code agent/target/compatibility-matrix.md}, one row per pool, one column per host setup, a check mark where
 * the pool was found, named, bound and queried with the right values.
 */
public final class CompatibilityReport {

    static final Path FILE = Path.of("target", "compatibility-matrix.md");
    private static final Map<String, Set<String>> VERIFIED = new LinkedHashMap<>();
    /** Sorted: "Java 17 H2", "Java 17 PostgreSQL", ..., then "attach, ...". */
    private static final Set<String> COLUMNS = new TreeSet<>();

    private CompatibilityReport() {
    }

    public static synchronized void verified(String column) {
        COLUMNS.add(column);
        for (PoolMatrix.Pool pool : PoolMatrix.POOLS) {
            VERIFIED.computeIfAbsent(pool.kind(), k -> new LinkedHashSet<>()).add(column);
        }
    }

    /** Rewrites the file with everything verified so far in this JVM. */
    public static synchronized void write() throws IOException {
        List<String> columns = new ArrayList<>(COLUMNS);
        StringBuilder text = new StringBuilder("| pool | class | `pool` label from |");
        columns.forEach(column -> text.append(' ').append(column).append(" |"));
        text.append("\n|---|---|---|");
        columns.forEach(column -> text.append("---|"));
        text.append('\n');
        for (PoolMatrix.Pool pool : PoolMatrix.POOLS) {
            Set<String> verified = VERIFIED.getOrDefault(pool.kind(), Set.of());
            text.append("| ").append(pool.kind()).append(" | `").append(pool.className()).append("` | ")
                    .append(pool.nameProperty()).append(" |");
            columns.forEach(column -> text.append(verified.contains(column) ? " ✓ |" : " |"));
            text.append('\n');
        }
        Files.createDirectories(FILE.getParent());
        Files.writeString(FILE, text);
    }
}
