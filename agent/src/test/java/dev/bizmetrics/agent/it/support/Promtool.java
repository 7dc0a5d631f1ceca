package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Prometheus's own checker (Debian package {@code prometheus}); the tests fail when it is missing. */
public final class Promtool {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private Promtool() {
    }

    /**
     * The one lint the agent's exposition draws, on purpose: the OpenTelemetry conventions name the pool gauge
     * {@code db.client.connection.count}, and its Prometheus form {@code db_client_connection_count} keeps that
     * name so that dashboards made for the conventions work; promtool's naming lint expects {@code _count} on
     * histograms only. Exit code 3 is lint, not a parse error.
     */
    static final String OTEL_POOL_COUNT_LINT =
            "db_client_connection_count non-histogram and non-summary metrics should not have \"_count\" suffix";

    /**
     * Runs {@code promtool check metrics} on an exposition; returns its complaints, "" when it has none but the
     * {@link #OTEL_POOL_COUNT_LINT}.
     */
    public static String checkMetrics(String exposition) throws IOException, InterruptedException {
        if (!Files.isExecutable(PROMTOOL)) {
            throw new IllegalStateException("promtool is missing: apt-get install prometheus");
        }
        Process process = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        process.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        String remaining = output.replace(OTEL_POOL_COUNT_LINT, "").trim();
        return exit == 0 || exit == 3 && remaining.isEmpty() ? "" : "exit " + exit + ": " + output;
    }

    /**
     * The lint lines of an exposition that parses (exit 0 or 3), each starting with the metric it concerns, but the
     * {@link #OTEL_POOL_COUNT_LINT}: for an application's own endpoint, whose own meters draw lints of their own.
     * A parse error fails.
     */
    public static java.util.List<String> lints(String exposition) throws IOException, InterruptedException {
        String problems = checkMetrics(exposition);
        if (problems.isEmpty()) {
            return java.util.List.of();
        }
        if (!problems.startsWith("exit 3: ")) {
            throw new AssertionError("promtool: " + problems);
        }
        return problems.substring("exit 3: ".length()).replace(OTEL_POOL_COUNT_LINT, "").lines()
                .map(String::trim).filter(line -> !line.isEmpty()).toList();
    }
}
