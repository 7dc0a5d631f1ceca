package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code java -jar bizmetrics-agent.jar <args>}: its exit code and output. */
public record CommandResult(int exitCode, String stdout, String stderr) {

    public static CommandResult run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(HostProcess.JAVA_17.toString(), "-jar",
                HostProcess.AGENT_JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String out = read(process.getInputStream());
        return new CommandResult(process.waitFor(), out, err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
