package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Chromium (Debian package {@code chromium}) loading a page as a person would; the tests fail without it. */
public final class Chromium {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private Chromium() {
    }

    /** The DOM after the page loaded and ran its scripts. */
    public static String dumpDom(String url, Path profile) throws IOException, InterruptedException {
        return run(profile, "--dump-dom", url);
    }

    /** The same, with more of Chromium's flags, e.g. {@code --virtual-time-budget=3000} to let timers run first. */
    public static String dumpDom(String url, Path profile, String... flags) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(flags));
        args.addAll(List.of("--dump-dom", url));
        return run(profile, args.toArray(new String[0]));
    }

    /** @param windowSize width,height in CSS pixels, e.g. {@code 1280,1000} or a phone's {@code 390,844} */
    public static void screenshot(String url, Path profile, Path png, String windowSize) throws IOException,
            InterruptedException {
        run(profile, "--window-size=" + windowSize, "--screenshot=" + png.toAbsolutePath(), url);
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
    }

    private static String run(Path profile, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("chromium is missing: apt-get install chromium");
        }
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile.toAbsolutePath()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
