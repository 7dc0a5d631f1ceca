package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** Scrapes an agent's /metrics over HTTP, as Prometheus would, into series → value. */
public final class Scrape {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Scrape() {
    }

    public static String text(int port, String path) throws IOException, InterruptedException {
        return text(port, path, "text/plain");
    }

    public static String text(int port, String path, String accept) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", accept).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static byte[] bytes(int port, String path, String accept) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", accept).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(path + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** Series (name and labels exactly as exposed) → value, from the Prometheus text format. */
    public static Map<String, Double> metrics(int port) throws IOException, InterruptedException {
        return metrics(port, "/metrics");
    }

    /** The same of another path, e.g. an application's own {@code /actuator/prometheus}. */
    public static Map<String, Double> metrics(int port, String path) throws IOException, InterruptedException {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : text(port, path).split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            // The simpleclient (Micrometer up to 1.12) ends a series' labels with a comma: {a="1",}
            series.put(line.substring(0, space).replace(",}", "}"), value(line.substring(space + 1)));
        }
        return series;
    }

    /** A sample value as the text format writes it: a number, NaN, +Inf or -Inf. */
    private static double value(String text) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(text);
        }
    }

    /** Scrapes until the series satisfy the condition; fails with the last scrape. */
    public static Map<String, Double> until(int port, Predicate<Map<String, Double>> condition, Duration timeout)
            throws InterruptedException {
        return until(port, "/metrics", condition, timeout);
    }

    /** The same on another path, e.g. an application's own {@code /actuator/prometheus}. */
    public static Map<String, Double> until(int port, String path, Predicate<Map<String, Double>> condition,
                                            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Double> last = Map.of();
        String error = "";
        while (System.nanoTime() < deadline) {
            try {
                last = metrics(port, path);
                if (condition.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                error = e.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("condition not met within " + timeout + "; last scrape: " + last + " " + error);
    }

    /** The series of one metric, as label text → value, e.g. {@code {status="NEW"}} → 3.0. */
    public static Map<String, Double> family(Map<String, Double> scrape, String name) {
        Map<String, Double> family = new LinkedHashMap<>();
        scrape.forEach((series, value) -> {
            if (series.equals(name) || series.startsWith(name + "{")) {
                family.put(series.substring(name.length()), value);
            }
        });
        return family;
    }
}
