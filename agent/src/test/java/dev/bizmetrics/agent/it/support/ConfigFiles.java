package dev.bizmetrics.agent.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's config/ folder as the tests see it, and what its files name: metrics, PromQL expressions. */
public final class ConfigFiles {

    /** The repository root: the sample jar is ROOT/sample-app/target/sample-app.jar. */
    static final Path ROOT = HostProcess.SAMPLE_JAR.toAbsolutePath().normalize().getParent().getParent().getParent();
    static final Path DIR = ROOT.resolve("config");
    public static final Path BIZMETRICS = DIR.resolve("bizmetrics.properties");
    public static final Path PROMETHEUS = DIR.resolve("prometheus.yml");
    public static final Path ALERTS = DIR.resolve("alerts.yml");
    public static final Path ALERTS_TEST = DIR.resolve("alerts-test.yml");
    public static final Path DASHBOARD = DIR.resolve("grafana-dashboard.json");

    static final Path PROMETHEUS_BIN = Path.of("/usr/bin/prometheus");
    public static final Path PROMTOOL_BIN = Path.of("/usr/bin/promtool");

    /** Overrides that make the shipped config run every query each second, for tests that cannot wait 10 s. */
    /** Fast runs, and fleet mode as a fleet would set it (on H2 every replica runs: the fleet metrics say so). */
    static final String FAST = "defaults.interval=1s,metric.shop_app_info.interval=1s,fleet.mode=lock";

    private ConfigFiles() {
    }

    /** The agent flag for the shipped config on a free port, every query each second. */
    public static String agentFlag() {
        return HostProcess.agentFlag("config=" + BIZMETRICS + ",http.port=0," + FAST);
    }

    /** The metric names config/bizmetrics.properties defines, as exposed (the files name them with their suffix). */
    public static Set<String> configuredMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        Pattern key = Pattern.compile("^metric\\.([^.=\\s]+)\\.");
        for (String line : Files.readAllLines(BIZMETRICS, StandardCharsets.UTF_8)) {
            Matcher m = key.matcher(line.trim());
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The queries the agent runs for the shipped config: shared query ids and the names of inline metrics. */
    public static Set<String> configuredQueries() throws IOException {
        Set<String> queries = new TreeSet<>();
        Pattern sql = Pattern.compile("^(?:query|metric)\\.([^.=\\s]+)\\.sql\\s*=");
        for (String line : Files.readAllLines(BIZMETRICS, StandardCharsets.UTF_8)) {
            Matcher m = sql.matcher(line.trim());
            if (m.find()) {
                queries.add(m.group(1));
            }
        }
        return queries;
    }

    /** True once the scrape has a successful last run of every query of the shipped config. */
    public static boolean everyQuerySucceeded(Map<String, Double> scrape) {
        try {
            for (String query : configuredQueries()) {
                if (!Double.valueOf(1.0).equals(scrape.get("bizmetrics_query_success{query=\"" + query + "\"}"))) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The histogram a {@code _bucket} series belongs to. */
    public static String histogramName(String bucketSeries) {
        return bucketSeries.substring(0, bucketSeries.length() - "_bucket".length());
    }

    /** The metric names of a scrape: series names without their labels, and each histogram's own name. */
    public static Set<String> exposedNames(Map<String, Double> scrape) {
        Set<String> names = new TreeSet<>();
        for (String series : scrape.keySet()) {
            int brace = series.indexOf('{');
            String name = brace < 0 ? series : series.substring(0, brace);
            names.add(name);
            if (name.endsWith("_bucket") && series.contains("le=\"")) {
                names.add(histogramName(name)); // a histogram is exposed as _bucket, _sum and _count
            }
        }
        return names;
    }

    /** Every PromQL expression of the dashboard: panel targets' expr and the template variables' queries. */
    public static List<String> dashboardExpressions(Object dashboard) {
        List<String> expressions = new ArrayList<>();
        for (Object expr : Json.findAll(Json.object(dashboard).get("panels"), "expr")) {
            expressions.add((String) expr);
        }
        return expressions;
    }

    /** The templating variables' label_values(...) queries, as the series selectors they read. */
    public static List<String> dashboardVariableSelectors(Object dashboard) {
        List<String> selectors = new ArrayList<>();
        Object templating = Json.object(dashboard).get("templating");
        for (Object variable : Json.array(Json.object(templating).get("list"))) {
            Object query = Json.object(variable).get("query");
            if (query instanceof Map<?, ?> q) {
                query = q.get("query");
            }
            if (!"query".equals(Json.object(variable).get("type"))) {
                continue;
            }
            Matcher m = Pattern.compile("^label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)$")
                    .matcher(((String) query).trim());
            if (!m.matches()) {
                throw new AssertionError("variable query is not label_values(selector, label): " + query);
            }
            selectors.add(m.group(1));
        }
        return selectors;
    }

    /** The alert rules' expressions in alerts.yml (single-line, or folded with >- / |). */
    public static List<String> alertExpressions() throws IOException {
        List<String> lines = Files.readAllLines(ALERTS, StandardCharsets.UTF_8);
        List<String> expressions = new ArrayList<>();
        Pattern expr = Pattern.compile("^(\\s*)expr:\\s*(.*)$");
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = expr.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            String value = m.group(2).trim();
            if (value.equals(">-") || value.equals(">") || value.equals("|") || value.equals("|-")) {
                StringBuilder block = new StringBuilder();
                int indent = m.group(1).length();
                while (i + 1 < lines.size() && (lines.get(i + 1).isBlank()
                        || lines.get(i + 1).length() - lines.get(i + 1).stripLeading().length() > indent)) {
                    block.append(' ').append(lines.get(++i).trim());
                }
                value = block.toString().trim();
            }
            expressions.add(value);
        }
        return expressions;
    }

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LISTS = Pattern.compile(
            "(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLES = Pattern.compile("\\$\\{?[a-zA-Z_][a-zA-Z0-9_]*}?");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![a-zA-Z0-9_:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "atan2");

    /** The metric names a PromQL expression reads: identifiers that are not functions, keywords or label names. */
    public static Set<String> promqlMetricNames(String expression) {
        String rest = VARIABLES.matcher(expression).replaceAll(" ");
        rest = STRINGS.matcher(rest).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGES.matcher(rest).replaceAll(" ");
        rest = LABEL_LISTS.matcher(rest).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            boolean call = m.group(2) != null;
            if (!call && !KEYWORDS.contains(m.group(1).toLowerCase())) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Runs a command; its exit code and its output (stdout and stderr together). */
    public static CommandResult exec(List<String> command) throws IOException, InterruptedException {
        Path tool = Path.of(command.get(0));
        if (!Files.isExecutable(tool)) {
            throw new IllegalStateException(tool + " is missing: apt-get install prometheus (see README, Tests)");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CommandResult(process.waitFor(), output, "");
    }
}
