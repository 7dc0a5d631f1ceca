package dev.bizmetrics.agent.config;

import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.agent.sql.StatementCheck;
import dev.bizmetrics.agent.sql.Verdict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the merged settings into an {@link AgentConfig}, collecting every problem rather than stopping at the
 * first, each with its key, where it was set, and what to do.
 */
final class ConfigParser {

    static final String DEFAULT_DATASOURCE = "main";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9_\\-]+");
    private static final List<String> RESERVED_SUFFIXES = Arrays.asList("_total", "_created", "_bucket", "_info");
    private static final String SELF_PREFIX = "bizmetrics_";
    /** What a histogram or summary adds to its name in one format or another. */
    private static final List<String> DISTRIBUTION_SUFFIXES = Arrays.asList("_count", "_sum", "_bucket", "_gcount",
            "_gsum");
    /** How often a query may run: not so often that it loads the database, at least once a day. */
    static final long[] INTERVALS = {100L, 24 * 3_600_000L};
    /** A statement timeout a driver and a server can take (whole seconds for setQueryTimeout, well within an int). */
    static final long[] TIMEOUTS = {100L, 3_600_000L};
    /** How often a follower tries to take over: not more than a few statements a second per replica. */
    static final long[] FLEET_CHECKS = {500L, 3_600_000L};
    /** Fits a MySQL lock name ({@code bizmetrics.<fleet>.<datasource>}, 64 characters) with a short DataSource name. */
    static final int MAX_FLEET_NAME = 40;

    private final Map<String, Setting> settings;
    private final List<Problem> problems;
    /** group (metric, query, datasource) → name → attribute → setting, in file order. */
    private final Map<String, Map<String, Map<String, Setting>>> groups = new HashMap<String, Map<String, Map<String, Setting>>>();

    private ConfigParser(Map<String, Setting> settings, List<Problem> problems) {
        this.settings = settings;
        this.problems = problems;
        for (String group : Keys.GROUPS.keySet()) {
            groups.put(group, new LinkedHashMap<String, Map<String, Setting>>());
        }
    }

    /** What the settings gave: the port's settings and the whole configuration, each null when it has problems. */
    static final class Result {
        final HttpSettings http;
        final AgentConfig config;

        private Result(HttpSettings http, AgentConfig config) {
            this.http = http;
            this.config = config;
        }
    }

    /**
     * Parses the settings; every problem found is added to {@code problems}, which may hold problems found before
     * (placeholders, keys given twice). The port's settings come out whenever no problem concerns them, so that a
     * mistake in a query never costs the port its address, auth or TLS.
     */
    static Result parse(Map<String, Setting> settings, List<Problem> problems) {
        int before = problems.size();
        ConfigParser parser = new ConfigParser(settings, problems);
        AgentConfig config = parser.build();
        HttpSettings http = config.http();
        for (Problem problem : problems) {
            if (problem.concernsHttp()) {
                http = null;
            }
        }
        return new Result(http, problems.size() == before && problems.isEmpty() ? config : null);
    }

    private AgentConfig build() {
        sortKeys();
        HttpSettings http = http();
        Log.Level level = logLevel();
        boolean allowAnySql = bool("allow-any-sql", false);
        // Also read by the launcher at start, through the same ConfigSource: it widens the transformer from premain.
        boolean genericDiscovery = bool("discovery.generic", false);
        checkAgentMain();
        long interval = duration("defaults.interval", 30_000L, INTERVALS);
        long timeout = duration("defaults.timeout", 10_000L, TIMEOUTS);
        int maxSeries = integer("defaults.max-series", 10_000, 1, Integer.MAX_VALUE);
        Map<String, DataSourceSpec> dataSources = dataSources();
        List<QuerySpec> queries = queries(interval, timeout, maxSeries, allowAnySql, dataSources);
        return new AgentConfig(http, level, allowAnySql, genericDiscovery, dataSources, queries, fleet(),
                bool("pools.metrics", true), hostRegistry());
    }

    /** Read by the launcher at start, not here; only checked, so that {@code check} and a reload report it. */
    private void checkAgentMain() {
        Setting setting = settings.get(AgentMain.KEY);
        String problem = setting == null ? null : AgentMain.problem(setting.value());
        if (problem != null) {
            problems.add(Problem.at(setting, problem));
        }
    }

    /** Files keys into their groups and reports keys that are not part of the contract. */
    private void sortKeys() {
        for (Setting setting : settings.values()) {
            String key = setting.key();
            if (Keys.PLAIN.contains(key)) {
                continue;
            }
            int firstDot = key.indexOf('.');
            int lastDot = key.lastIndexOf('.');
            String group = firstDot < 0 ? key : key.substring(0, firstDot);
            List<String> attributes = Keys.GROUPS.get(group);
            if (attributes == null || lastDot <= firstDot + 1) {
                problems.add(unknownKey(setting));
                continue;
            }
            String name = key.substring(firstDot + 1, lastDot);
            String attribute = key.substring(lastDot + 1);
            if (!attributes.contains(attribute)) {
                problems.add(unknownKey(setting));
                continue;
            }
            Map<String, Map<String, Setting>> byName = groups.get(group);
            Map<String, Setting> attrs = byName.get(name);
            if (attrs == null) {
                attrs = new LinkedHashMap<String, Setting>();
                byName.put(name, attrs);
            }
            attrs.put(attribute, setting);
        }
    }

    /** A misspelt {@code http.*} key may have been meant to ask for auth or TLS: it concerns the port too. */
    private static Problem unknownKey(Setting setting) {
        String suggestion = KeySuggestions.closest(setting.key(), Keys.PLAIN, Keys.GROUPS);
        String message = "unknown key" + (suggestion == null ? "; see the configuration reference in README.md"
                : "; did you mean " + suggestion + "?");
        return suggestion != null && Problem.isHttpKey(suggestion) ? Problem.concerningHttp(setting, message)
                : Problem.at(setting, message);
    }

    private HttpSettings http() {
        String host = text("http.host", HttpSettings.DEFAULT_HOST);
        int port = port();
        Setting username = settings.get("http.auth.username");
        Setting password = settings.get("http.auth.password");
        Setting passwordHash = settings.get("http.auth.password-sha256");
        byte[] hash = null;
        if (password != null && passwordHash != null) {
            problems.add(Problem.at(passwordHash, "set http.auth.password or http.auth.password-sha256, not both"));
        } else if (password != null) {
            hash = PasswordHash.sha256(password.value());
        } else if (passwordHash != null) {
            hash = PasswordHash.parseHex(passwordHash.value().trim());
            if (hash == null) {
                problems.add(Problem.at(passwordHash, "is not a SHA-256 in hex (64 characters 0-9a-f); "
                        + "make one with: printf %s 'PASSWORD' | sha256sum"));
            }
        }
        String user = username == null ? null : username.value().trim();
        if (user != null && user.isEmpty()) {
            problems.add(Problem.at(username, "is empty; set a user name or remove the http.auth.* keys"));
        } else if (user != null && password == null && passwordHash == null) {
            problems.add(Problem.at(username, "has no password; set http.auth.password=${ENV_VAR} or "
                    + "http.auth.password-sha256"));
        } else if (user == null && (password != null || passwordHash != null)) {
            Setting where = password != null ? password : passwordHash;
            problems.add(Problem.at(where, "a password without http.auth.username; set the user name too"));
        }
        Setting keystore = settings.get("http.tls.keystore");
        Setting keystorePassword = settings.get("http.tls.keystore-password");
        String keystorePath = keystore == null ? null : keystore.value().trim();
        if (keystorePath != null && !new java.io.File(keystorePath).canRead()) {
            problems.add(Problem.at(keystore, "cannot read " + keystore.shown(keystorePath) + "; give the path of a PKCS12 keystore "
                    + "(keytool -genkeypair -storetype PKCS12 ...)"));
        } else if (keystorePath == null && keystorePassword != null) {
            problems.add(Problem.at(keystorePassword, "a keystore password without http.tls.keystore; set the keystore"));
        }
        return new HttpSettings(host, port, user, hash, keystorePath,
                keystorePassword == null ? "" : keystorePassword.value());
    }

    /** {@code http.port}: a port, 0 for a free one, or {@code off} for none. */
    private int port() {
        Setting setting = settings.get("http.port");
        if (setting == null) {
            return HttpSettings.DEFAULT_PORT;
        }
        if (setting.value().trim().equalsIgnoreCase("off")) {
            return HttpSettings.OFF;
        }
        try {
            int value = Integer.parseInt(setting.value().trim());
            if (value >= 0 && value <= 65535) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(Problem.at(setting, "'" + setting.shown() + "' is not a whole number from 0 to 65535 or off "
                + "(no port of the agent's)"));
        return HttpSettings.DEFAULT_PORT;
    }

    /** {@code export.host-registry}: auto publishes into the application's own Prometheus registry when found. */
    private boolean hostRegistry() {
        Setting setting = settings.get("export.host-registry");
        if (setting == null) {
            return false;
        }
        String value = setting.value().trim().toLowerCase(Locale.ROOT);
        if (value.equals("auto") || value.equals("off")) {
            return value.equals("auto");
        }
        problems.add(Problem.at(setting, "'" + setting.shown() + "' is not a host-registry mode; use auto (publish "
                + "into the application's own Prometheus registry when it has one) or off"));
        return false;
    }

    private FleetSettings fleet() {
        FleetSettings.Mode mode = FleetSettings.Mode.OFF;
        Setting modeSetting = settings.get("fleet.mode");
        if (modeSetting != null) {
            String value = modeSetting.value().trim().toLowerCase(Locale.ROOT);
            if (value.equals("lock")) {
                mode = FleetSettings.Mode.LOCK;
            } else if (!value.equals("off")) {
                problems.add(Problem.at(modeSetting, "'" + modeSetting.shown() + "' is not a fleet mode; use off "
                        + "(every replica runs every query) or lock (once per database per interval)"));
            }
        }
        Setting nameSetting = settings.get("fleet.name");
        String name = null;
        if (nameSetting != null) {
            name = nameSetting.value().trim();
            if (!ID.matcher(name).matches() || name.length() > MAX_FLEET_NAME) {
                problems.add(Problem.at(nameSetting, "'" + nameSetting.shown() + "' is not a fleet name; use up to "
                        + MAX_FLEET_NAME + " letters, digits, _ and -, or leave it out to derive one from the queries"));
                name = null;
            }
        }
        long check = duration("fleet.check-interval", FleetSettings.DEFAULT_CHECK_MILLIS, FLEET_CHECKS);
        return mode == FleetSettings.Mode.OFF && name == null && check == FleetSettings.DEFAULT_CHECK_MILLIS
                ? FleetSettings.OFF : new FleetSettings(mode, name, check);
    }

    private Map<String, DataSourceSpec> dataSources() {
        Map<String, DataSourceSpec> result = new LinkedHashMap<String, DataSourceSpec>();
        for (Map.Entry<String, Map<String, Setting>> entry : groups.get("datasource").entrySet()) {
            String name = entry.getKey();
            Map<String, Setting> attrs = entry.getValue();
            Setting any = attrs.values().iterator().next();
            if (!ID.matcher(name).matches()) {
                problems.add(Problem.at(any, "'" + name + "' is not a datasource name; use letters, digits, _ and -"));
            }
            Selector selector = attrs.containsKey("match") ? selector(attrs.get("match")) : Selector.AUTO;
            int max = attrs.containsKey("max-connections")
                    ? integer(attrs.get("max-connections"), 1, 1, 16) : 1;
            result.put(name, new DataSourceSpec(name, selector, max));
        }
        if (result.isEmpty()) {
            result.put(DEFAULT_DATASOURCE, new DataSourceSpec(DEFAULT_DATASOURCE, Selector.AUTO, 1));
        }
        return result;
    }

    private Selector selector(Setting setting) {
        try {
            return Selector.parse(setting.value());
        } catch (IllegalArgumentException e) {
            problems.add(Problem.at(setting, setting.hasPlaceholders() ? "'" + setting.shown() + "' is not a match "
                    + "once resolved; use " + Selector.FORMS : e.getMessage()));
            return Selector.AUTO;
        }
    }

    private List<QuerySpec> queries(long defaultInterval, long defaultTimeout, int defaultMaxSeries,
                                    boolean allowAnySql, Map<String, DataSourceSpec> dataSources) {
        Map<String, Map<String, Setting>> sharedQueries = groups.get("query");
        Map<String, List<MetricSpec>> metricsByQuery = new LinkedHashMap<String, List<MetricSpec>>();
        Map<String, Map<String, Setting>> inlineQueries = new LinkedHashMap<String, Map<String, Setting>>();
        // base name → the first metric exposed under it, and where that metric is set
        Map<String, MetricSpec> exposedNames = new HashMap<String, MetricSpec>();
        Map<String, Setting> exposedAt = new HashMap<String, Setting>();

        for (Map.Entry<String, Map<String, Setting>> entry : groups.get("metric").entrySet()) {
            String name = entry.getKey();
            Map<String, Setting> attrs = entry.getValue();
            Setting sql = attrs.get("sql");
            Setting query = attrs.get("query");
            Setting first = attrs.values().iterator().next();
            String queryId = null;
            if (sql != null && query != null) {
                problems.add(Problem.at(query, "metric " + name + " has both sql and query; keep one"));
            } else if (sql != null) {
                if (sharedQueries.containsKey(name)) {
                    problems.add(Problem.at(sql, "metric " + name + " has its own sql and query." + name
                            + " is defined too; both would be query " + name + " in the self-metrics, rename one"));
                } else {
                    queryId = name;
                    inlineQueries.put(name, attrs);
                }
            } else if (query != null) {
                String id = query.value().trim();
                if (!sharedQueries.containsKey(id)) {
                    problems.add(Problem.at(query, "no query." + query.shown(id) + ".sql is defined; define it or "
                            + "use metric." + name + ".sql"));
                } else {
                    queryId = id;
                }
                for (String perQuery : Arrays.asList("interval", "timeout", "datasource", "scope")) {
                    if (attrs.containsKey(perQuery)) {
                        problems.add(Problem.at(attrs.get(perQuery), "metric " + name + " reads query "
                                + query.shown(id) + "; set query." + query.shown(id) + "." + perQuery + " instead"));
                    }
                }
            } else {
                problems.add(new Problem(first.origin(), "metric." + name + ".sql",
                        "metric " + name + " has neither sql nor query; add metric." + name + ".sql=SELECT ..."));
            }
            // Checked even when the metric or its query reference is wrong, so that every problem shows at once.
            MetricSpec metric = metric(name, attrs, first, defaultMaxSeries);
            List<MetricSpec> list = null;
            if (queryId != null) {
                list = metricsByQuery.get(queryId);
                if (list == null) {
                    list = new ArrayList<MetricSpec>();
                    metricsByQuery.put(queryId, list);
                }
            }
            if (metric == null || list == null) {
                continue;
            }
            String taken = null;
            for (String exposed : exposedNames(metric)) {
                if (taken == null && exposedNames.containsKey(exposed)) {
                    taken = exposed;
                }
            }
            if (taken != null) {
                MetricSpec clash = exposedNames.get(taken);
                String where = "metric " + name + " and metric " + clash.name() + " (set at "
                        + exposedAt.get(taken).origin() + ")";
                problems.add(Problem.at(first, taken.equals(clash.baseName()) && taken.equals(metric.baseName())
                        ? where + " have the same name " + taken + " once the type's suffix (_total, _info) is left "
                        + "out; rename one"
                        : where + " are both exposed as " + taken + " (a histogram or summary also takes _count, "
                        + "_sum, _bucket, _gcount and _gsum); rename one"));
                continue;
            }
            for (String exposed : exposedNames(metric)) {
                exposedNames.put(exposed, metric);
                exposedAt.put(exposed, first);
            }
            list.add(metric);
        }

        List<QuerySpec> result = new ArrayList<QuerySpec>();
        for (Map.Entry<String, List<MetricSpec>> entry : metricsByQuery.entrySet()) {
            String id = entry.getKey();
            Map<String, Setting> attrs = inlineQueries.containsKey(id) ? inlineQueries.get(id) : sharedQueries.get(id);
            QuerySpec query = query(id, attrs, entry.getValue(), defaultInterval, defaultTimeout, allowAnySql,
                    dataSources);
            if (query != null) {
                result.add(query);
            }
        }
        for (Map.Entry<String, Map<String, Setting>> entry : sharedQueries.entrySet()) {
            if (!metricsByQuery.containsKey(entry.getKey()) && !entry.getValue().containsKey("sql")) {
                problems.add(Problem.at(entry.getValue().values().iterator().next(),
                        "query " + entry.getKey() + " has no sql; add query." + entry.getKey() + ".sql=SELECT ..."));
            }
        }
        return result;
    }

    /** The names a metric's series are exposed under, but for the type's own suffix (_total, _info). */
    private static List<String> exposedNames(MetricSpec metric) {
        List<String> names = new ArrayList<String>();
        names.add(metric.baseName());
        if (metric.type() == MetricType.HISTOGRAM || metric.type() == MetricType.SUMMARY) {
            for (String suffix : DISTRIBUTION_SUFFIXES) {
                names.add(metric.baseName() + suffix);
            }
        }
        return names;
    }

    private QuerySpec query(String id, Map<String, Setting> attrs, List<MetricSpec> metrics, long defaultInterval,
                            long defaultTimeout, boolean allowAnySql, Map<String, DataSourceSpec> dataSources) {
        Setting sql = attrs.get("sql");
        if (sql == null) {
            problems.add(Problem.at(attrs.values().iterator().next(),
                    "query " + id + " has no sql; add query." + id + ".sql=SELECT ..."));
            return null;
        }
        checkSql(sql, allowAnySql);
        long interval = attrs.containsKey("interval") ? duration(attrs.get("interval"), defaultInterval, INTERVALS)
                : defaultInterval;
        long timeout = attrs.containsKey("timeout") ? duration(attrs.get("timeout"), defaultTimeout, TIMEOUTS)
                : defaultTimeout;
        String dataSource = DEFAULT_DATASOURCE;
        if (attrs.containsKey("datasource")) {
            dataSource = attrs.get("datasource").value().trim();
        }
        if (!dataSources.containsKey(dataSource)) {
            Setting where = attrs.containsKey("datasource") ? attrs.get("datasource") : sql;
            String shown = attrs.containsKey("datasource") ? attrs.get("datasource").shown(dataSource) : dataSource;
            problems.add(Problem.at(where, "no datasource." + shown + ".match is defined; define it or use one of "
                    + dataSources.keySet()));
        }
        Scope scope = Scope.FLEET;
        if (attrs.containsKey("scope")) {
            scope = Scope.parse(attrs.get("scope").value());
            if (scope == null) {
                problems.add(Problem.at(attrs.get("scope"), "'" + attrs.get("scope").shown() + "' is not a scope; use "
                        + "fleet (on the fleet's leader only) or instance (on every replica)"));
                scope = Scope.FLEET;
            }
        }
        return new QuerySpec(id, sql.value().trim(), sql.shown(), sql.redaction(), interval, timeout, dataSource,
                metrics, allowAnySql, scope);
    }

    /**
     * The statement check under every database's rules, as the database is not known until the query runs (it is
     * checked again then, under that database's rules alone).
     */
    private void checkSql(Setting sql, boolean allowAnySql) {
        if (sql.value().trim().isEmpty()) {
            problems.add(Problem.at(sql, "the SQL is empty; write a SELECT statement"));
            return;
        }
        Verdict verdict = StatementCheck.checkEveryDialect(sql.value(), allowAnySql);
        if (verdict.passed()) {
            return;
        }
        if (!sql.hasPlaceholders()) {
            problems.add(Problem.at(sql, verdict.problem()));
            return;
        }
        // The verdict may quote what a placeholder resolved to: say what the SQL as written has, or only that much.
        Verdict written = StatementCheck.checkEveryDialect(sql.shown(), allowAnySql);
        problems.add(Problem.at(sql, !written.passed() ? written.problem() : "is refused by the statement check once "
                + "its placeholders are resolved; what they resolve to is not shown here: look at the values of "
                + sql.redaction().placeholders()));
    }

    private MetricSpec metric(String name, Map<String, Setting> attrs, Setting first, int defaultMaxSeries) {
        int before = problems.size();
        MetricType type = MetricType.GAUGE;
        if (attrs.containsKey("type")) {
            type = MetricType.parse(attrs.get("type").value());
            if (type == null) {
                problems.add(Problem.at(attrs.get("type"), "unknown type '" + attrs.get("type").shown()
                        + "'; use gauge, counter, info, histogram or summary"));
                type = MetricType.GAUGE;
            }
        }
        String baseName = name;
        if (!type.suffix().isEmpty() && name.endsWith(type.suffix())) {
            baseName = name.substring(0, name.length() - type.suffix().length());
        }
        if (!METRIC_NAME.matcher(name).matches()) {
            problems.add(Problem.at(first, "'" + name + "' is not a valid metric name; use letters, digits and _, "
                    + "not starting with a digit"));
        } else if (name.startsWith(SELF_PREFIX)) {
            problems.add(Problem.at(first, "metric names starting with " + SELF_PREFIX + " are the agent's own; "
                    + "choose another prefix"));
        } else {
            for (String suffix : RESERVED_SUFFIXES) {
                if (baseName.endsWith(suffix)) {
                    problems.add(Problem.at(first, "a " + type.configName() + " may not be named ..." + suffix
                            + " (Prometheus reserves it" + (suffix.equals("_total") ? " for counters" : "")
                            + "); rename it" + (suffix.equals("_total") && type != MetricType.COUNTER
                            ? " or set type=counter" : "")));
                }
            }
        }
        List<String> labels = null;
        if (attrs.containsKey("labels")) {
            labels = new ArrayList<String>();
            for (String label : splitList(attrs.get("labels").value())) {
                labels.add(checkLabel(attrs.get("labels"), label.toLowerCase(Locale.ROOT)));
            }
            if (new LinkedHashSet<String>(labels).size() != labels.size()) {
                problems.add(Problem.at(attrs.get("labels"), "lists a label twice; list each once"));
            }
        }
        String value = attrs.containsKey("value") ? attrs.get("value").value().trim().toLowerCase(Locale.ROOT) : null;
        if (value != null && type == MetricType.INFO) {
            problems.add(Problem.at(attrs.get("value"), "an info metric has no value column (its value is 1); "
                    + "remove the key"));
        }
        if (value != null && labels != null && labels.contains(value)) {
            problems.add(Problem.at(attrs.get("value"), "column " + value + " is both a label and the value; "
                    + "remove it from metric." + name + ".labels"));
        }
        MetricSpec.Columns columns = columns(name, type, attrs, labels, value);
        Map<String, String> constLabels = new LinkedHashMap<String, String>();
        if (attrs.containsKey("const-labels")) {
            Setting setting = attrs.get("const-labels");
            for (String pair : splitList(setting.value())) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    problems.add(Problem.at(setting, "'" + setting.shown(pair) + "' is not name=value; write e.g. "
                            + "team=checkout"));
                    continue;
                }
                String label = checkLabel(setting, pair.substring(0, eq).trim());
                if (labels != null && labels.contains(label)) {
                    problems.add(Problem.at(setting, "label " + label + " is also a column label; keep one"));
                }
                if (constLabels.put(label, pair.substring(eq + 1).trim()) != null) {
                    problems.add(Problem.at(setting, "lists label " + label + " twice; list each once"));
                }
            }
        }
        int maxSeries = attrs.containsKey("max-series")
                ? integer(attrs.get("max-series"), defaultMaxSeries, 1, Integer.MAX_VALUE) : defaultMaxSeries;
        String help = attrs.containsKey("help") ? attrs.get("help").value().trim() : "";
        if (help.isEmpty()) {
            // Prometheus tooling expects every metric to have help text.
            help = "Metric " + name + " from bizmetrics";
        }
        if (problems.size() != before) {
            return null;
        }
        String shownConstLabels = attrs.containsKey("const-labels") ? attrs.get("const-labels").shown() : "";
        return new MetricSpec(name, baseName, help, type, labels, value, constLabels, shownConstLabels, maxSeries,
                columns);
    }

    /**
     * The keys of histograms, summaries and sample timestamps: each only with its type, the columns each named once,
     * none of them a label.
     */
    private MetricSpec.Columns columns(String name, MetricType type, Map<String, Setting> attrs, List<String> labels,
                                       String value) {
        String prefix = "metric." + name + ".";
        boolean histogram = type == MetricType.HISTOGRAM;
        boolean summary = type == MetricType.SUMMARY;
        String typeName = type.configName();
        if (attrs.containsKey("buckets") && !histogram) {
            problems.add(Problem.at(attrs.get("buckets"), "buckets are for a histogram; set " + prefix
                    + "type=histogram or remove the key"));
        }
        if (attrs.containsKey("bucket-bound") && !histogram) {
            problems.add(Problem.at(attrs.get("bucket-bound"), "bucket-bound is for a pre-bucketed histogram; set "
                    + prefix + "type=histogram or remove the key"));
        }
        if (attrs.containsKey("quantile") && !summary) {
            problems.add(Problem.at(attrs.get("quantile"), "quantile is for a summary; set " + prefix
                    + "type=summary or remove the key"));
        }
        if (attrs.containsKey("count") && !summary) {
            problems.add(Problem.at(attrs.get("count"), histogram
                    ? "a histogram's count is its +Inf bucket; remove the key"
                    : "count is for a summary; set " + prefix + "type=summary or remove the key"));
        }
        if (attrs.containsKey("sum") && !summary && !(histogram && attrs.containsKey("bucket-bound"))) {
            problems.add(Problem.at(attrs.get("sum"), histogram
                    ? "a histogram with buckets sums its observations itself; remove the key (sum is for "
                    + "bucket-bound histograms, whose rows hold counts)"
                    : "sum is for a histogram with bucket-bound or a summary; remove the key"));
        }
        double[] buckets = null;
        if (histogram) {
            if (attrs.containsKey("buckets") && attrs.containsKey("bucket-bound")) {
                problems.add(Problem.at(attrs.get("bucket-bound"), "set " + prefix + "buckets (each row is an "
                        + "observation) or " + prefix + "bucket-bound (the rows hold cumulative counts), not both"));
            } else if (!attrs.containsKey("buckets") && !attrs.containsKey("bucket-bound")) {
                problems.add(Problem.at(attrs.get("type"), "a histogram needs " + prefix + "buckets=<upper bounds, "
                        + "e.g. 0.1,0.5,1,5> (each row is an observation) or " + prefix + "bucket-bound=<column> "
                        + "(the rows hold cumulative counts per bound)"));
            }
            if (attrs.containsKey("buckets")) {
                buckets = buckets(attrs.get("buckets"));
            }
        }
        if (summary && !attrs.containsKey("quantile")) {
            problems.add(Problem.at(attrs.get("type"), "a summary needs " + prefix + "quantile=<column> with the "
                    + "quantile (0..1) of each row's value"));
        }
        if ((histogram || summary) && value == null) {
            problems.add(Problem.at(attrs.get("type"), "a " + typeName + " needs " + prefix + "value=<column>: "
                    + (histogram && !attrs.containsKey("bucket-bound") ? "the observation of each row"
                    : histogram ? "the cumulative count of each bucket" : "the value of each row's quantile")));
        }
        String bucketBound = column(attrs, "bucket-bound");
        String quantile = column(attrs, "quantile");
        String sum = column(attrs, "sum");
        String count = column(attrs, "count");
        String timestamp = column(attrs, "timestamp");
        Map<String, String> used = new LinkedHashMap<String, String>();
        if (value != null) {
            used.put(value, "value");
        }
        for (String key : Arrays.asList("bucket-bound", "quantile", "sum", "count", "timestamp")) {
            String column = column(attrs, key);
            if (column == null) {
                continue;
            }
            if (column.isEmpty()) {
                problems.add(Problem.at(attrs.get(key), "is empty; name a column of the query"));
                continue;
            }
            if (labels != null && labels.contains(column)) {
                problems.add(Problem.at(attrs.get(key), "column " + column + " is both a label and the " + key
                        + " column; remove it from " + prefix + "labels"));
            }
            String other = used.put(column, key);
            if (other != null) {
                problems.add(Problem.at(attrs.get(key), "column " + column + " is already the " + other
                        + " column; name another column (alias it in the SQL)"));
            }
        }
        return new MetricSpec.Columns(buckets, bucketBound, quantile, sum, count, timestamp);
    }

    private static String column(Map<String, Setting> attrs, String key) {
        Setting setting = attrs.get(key);
        return setting == null ? null : setting.value().trim().toLowerCase(Locale.ROOT);
    }

    /** Upper bounds: finite numbers, ascending and distinct; +Inf is always the last bucket and is not written. */
    private double[] buckets(Setting setting) {
        List<String> parts = splitList(setting.value());
        if (parts.isEmpty()) {
            problems.add(Problem.at(setting, "is empty; list the buckets' upper bounds, e.g. 0.1,0.5,1,5"));
            return null;
        }
        double[] bounds = new double[parts.size()];
        for (int i = 0; i < bounds.length; i++) {
            String part = parts.get(i);
            if (part.equalsIgnoreCase("+Inf") || part.equalsIgnoreCase("Inf")) {
                problems.add(Problem.at(setting, "+Inf is always the last bucket; leave it out"));
                return null;
            }
            try {
                bounds[i] = Double.parseDouble(part);
            } catch (NumberFormatException e) {
                bounds[i] = Double.NaN;
            }
            if (Double.isNaN(bounds[i]) || Double.isInfinite(bounds[i]) || !part.matches("[-+0-9.eE]+")) {
                problems.add(Problem.at(setting, "'" + setting.shown(part) + "' is not a number; list the buckets' "
                        + "upper bounds as numbers, e.g. 0.1,0.5,1,5"));
                return null;
            }
            if (i > 0 && !(bounds[i] > bounds[i - 1])) {
                problems.add(Problem.at(setting, bounds[i] == bounds[i - 1] ? "lists " + part + " twice; list each "
                        + "bound once" : "is not in ascending order (" + parts.get(i - 1) + " before " + part
                        + "); list the bounds from the smallest up"));
                return null;
            }
        }
        return bounds;
    }

    private String checkLabel(Setting setting, String label) {
        if (!LabelName.isValid(label)) {
            problems.add(Problem.at(setting, "'" + setting.shown(label) + "' is not a valid label name; use letters, digits and _, "
                    + "not starting with a digit or __ (alias the column in the SQL)"));
        }
        return label;
    }

    private static List<String> splitList(String value) {
        List<String> parts = new ArrayList<String>();
        for (String part : value.split(",")) {
            if (!part.trim().isEmpty()) {
                parts.add(part.trim());
            }
        }
        return Collections.unmodifiableList(parts);
    }

    private String text(String key, String fallback) {
        Setting setting = settings.get(key);
        return setting == null || setting.value().trim().isEmpty() ? fallback : setting.value().trim();
    }

    private Log.Level logLevel() {
        Setting setting = settings.get("log.level");
        if (setting == null) {
            return Log.Level.INFO;
        }
        Log.Level level = Log.Level.parse(setting.value());
        if (level == null) {
            problems.add(Problem.at(setting, "unknown level '" + setting.shown()
                    + "'; use error, warn, info or debug"));
            return Log.Level.INFO;
        }
        return level;
    }

    private boolean bool(String key, boolean fallback) {
        Setting setting = settings.get(key);
        if (setting == null) {
            return fallback;
        }
        String value = setting.value().trim().toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return value.equals("true");
        }
        problems.add(Problem.at(setting, "'" + setting.shown() + "' is not true or false"));
        return fallback;
    }

    private int integer(String key, int fallback, int min, int max) {
        Setting setting = settings.get(key);
        return setting == null ? fallback : integer(setting, fallback, min, max);
    }

    private int integer(Setting setting, int fallback, int min, int max) {
        try {
            int value = Integer.parseInt(setting.value().trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(Problem.at(setting, "'" + setting.shown() + "' is not a whole number from " + min
                + " to " + max));
        return fallback;
    }

    private long duration(String key, long fallback, long[] bounds) {
        Setting setting = settings.get(key);
        return setting == null ? fallback : duration(setting, fallback, bounds);
    }

    /** @param bounds the shortest and the longest duration allowed, in milliseconds */
    private long duration(Setting setting, long fallback, long[] bounds) {
        long millis = Durations.parseMillis(setting.value());
        if (millis < 0) {
            problems.add(Problem.at(setting, "'" + setting.shown() + "' is not a duration; write e.g. 500ms, 15s, "
                    + "1m or 2h"));
            return fallback;
        }
        if (millis < bounds[0] || millis > bounds[1]) {
            problems.add(Problem.at(setting, "'" + setting.shown() + "' is " + (millis < bounds[0] ? "shorter than "
                    + Durations.format(bounds[0]) : "longer than " + Durations.format(bounds[1])) + "; write a "
                    + "duration from " + Durations.format(bounds[0]) + " to " + Durations.format(bounds[1])));
            return fallback;
        }
        return millis;
    }

}
