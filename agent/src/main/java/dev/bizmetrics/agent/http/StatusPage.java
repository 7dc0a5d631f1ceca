package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.config.Durations;
import dev.bizmetrics.agent.config.LoadedConfig;
import dev.bizmetrics.agent.config.PasswordHash;
import dev.bizmetrics.agent.config.Problem;
import dev.bizmetrics.agent.config.QuerySpec;
import dev.bizmetrics.agent.discovery.Binding;
import dev.bizmetrics.agent.discovery.DataSourceDescription;
import dev.bizmetrics.agent.engine.DropReason;
import dev.bizmetrics.agent.engine.QueryResult;
import dev.bizmetrics.agent.state.AgentView;
import dev.bizmetrics.agent.log.UtcTime;
import dev.bizmetrics.agent.pools.PoolSample;
import dev.bizmetrics.agent.state.AgentSnapshot;
import dev.bizmetrics.agent.state.ExportStatus;
import dev.bizmetrics.agent.state.FleetStatus;
import dev.bizmetrics.agent.state.QueryState;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.util.Base64;
import java.util.Map;

/**
 * The status page: one self-contained HTML page (no external assets) that says what the agent found, what it runs
 * and what went wrong. Everything shown that came from the configuration, the database or a driver is escaped. The
 * page refreshes its content in place every few seconds.
 */
final class StatusPage {

    /** Replaces the page's main element with a fresh one, without reloading the page (no flicker). */
    private static final String SCRIPT = "setInterval(function(){fetch(location.pathname,{cache:'no-store'})"
            + ".then(function(r){return r.ok?r.text():null}).then(function(t){if(!t)return;"
            + "var m=new DOMParser().parseFromString(t,'text/html').getElementById('status');"
            + "if(m)document.getElementById('status').replaceWith(m)}).catch(function(){})},5000);";

    /** Only this page's own style and its one script may run. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; connect-src 'self'; style-src 'unsafe-inline'; "
            + "script-src 'sha256-" + Base64.getEncoder().encodeToString(PasswordHash.sha256(SCRIPT)) + "'";

    /**
     * Long words (class names, URLs, SQL, a driver's error) wrap rather than widen a table, so nothing is cut off at
     * 1280 px; below 700 px each table row becomes a block of labelled lines, so a phone needs no sideways scroll.
     */
    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:0;padding:1rem;color:#1c1c1c;"
            + "background:#fafafa}h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}"
            + "nav a{margin-right:1rem}.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;"
            + "background:#fff}th,td{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top;"
            + "font-size:.9rem;overflow-wrap:anywhere}th{background:#f0f0f0}pre{margin:0;white-space:pre-wrap;"
            + "overflow-wrap:anywhere;font-size:.85rem}td.sql{min-width:14rem}td.error{min-width:14rem}"
            + "p,li{overflow-wrap:anywhere}#attention{border-left:4px solid #b3261e;background:#fff;padding:.5rem 1rem}"
            + "#attention li{margin:.3rem 0}.ok{color:#17692e;font-weight:600}.bad{color:#b3261e;font-weight:600}"
            + ".muted{color:#666}ul{padding-left:1.2rem}"
            + "@media (max-width:700px){table,tbody,tr,td{display:block;width:auto}tr.head{display:none}"
            + "tr{border:1px solid #ddd;margin:0 0 .6rem}td{border:0;border-top:1px solid #eee;min-width:0}"
            + "td.sql,td.error{min-width:0}td[data-label]::before{content:attr(data-label) \": \";font-weight:600}}";

    private StatusPage() {
    }

    static String render(AgentView view) {
        return render(view.snapshot());
    }

    static String render(AgentSnapshot view) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>bizmetrics</title><style>").append(STYLE).append("</style></head><body>");
        html.append("<main id=\"status\">");
        header(html, view);
        attention(html, view);
        configuration(html, view);
        dataSources(html, view);
        pools(html, view);
        export(html, view);
        fleets(html, view);
        queries(html, view);
        html.append("</main><script>").append(SCRIPT).append("</script></body></html>");
        return html.toString();
    }

    private static void header(StringBuilder html, AgentSnapshot view) {
        long uptimeSeconds = (System.currentTimeMillis() - view.startedMillis()) / 1000;
        html.append("<h1>bizmetrics</h1><p>version <span id=\"version\">").append(escape(view.version()))
                .append("</span>, up <span id=\"uptime\">").append(uptime(uptimeSeconds)).append("</span></p>")
                .append("<nav><a href=\"/metrics\">/metrics</a><a href=\"/-/ready\">/-/ready</a>")
                .append("<a href=\"/-/healthy\">/-/healthy</a></nav>");
    }

    private static void configuration(StringBuilder html, AgentSnapshot view) {
        LoadedConfig loaded = view.lastLoad();
        html.append("<h2>Configuration</h2><p id=\"config\">").append(escape(loaded.source())).append(", loaded ")
                .append(time(view.lastLoadMillis())).append(": ")
                .append(loaded.isValid() ? "<span class=\"ok\">valid</span>"
                        : "<span class=\"bad\">" + loaded.problems().size() + " problem(s)</span>"
                        + (view.queries().isEmpty() ? ", no query runs" : ", the previous configuration still runs"))
                .append("</p>");
        if (!loaded.problems().isEmpty()) {
            html.append("<ul id=\"problems\">");
            for (Problem problem : loaded.problems()) {
                html.append("<li>").append(escape(problem.toString())).append("</li>");
            }
            html.append("</ul>");
        }

    }

    private static void dataSources(StringBuilder html, AgentSnapshot view) {
        html.append("<h2>DataSources</h2><p class=\"muted\" id=\"pool-finding\">Pools are found ")
                .append(escape(view.poolFinding())).append(".</p>");
        if (view.hookErrors() > 0) {
            html.append("<p class=\"bad\" id=\"hook-errors\">").append(view.hookErrors()).append(" error(s) in the "
                    + "agent's hooks in the application's classes were swallowed so that the application went on; "
                    + "DataSources may be missing. Please report this with the agent's log at log.level=debug.</p>");
        }
        html.append("<ul id=\"bindings\">");
        for (Binding binding : view.discovery().bindings().values()) {
            html.append("<li><b>").append(escape(binding.name())).append("</b>: ");
            if (binding.isBound()) {
                html.append("<span class=\"ok\">bound</span> to ").append(escape(binding.bound().id()))
                        .append(" <span class=\"muted\">(").append(escape(binding.explanation())).append(")</span>");
            } else {
                html.append("<span class=\"bad\">not bound</span>: ").append(escape(binding.explanation()));
            }
            html.append("</li>");
        }
        html.append("</ul>");
        if (view.discovery().seen().isEmpty()) {
            html.append("<p class=\"muted\" id=\"none-seen\">").append(escape(NONE_SEEN)).append("</p>");
            return;
        }
        html.append("<div class=\"scroll\"><table id=\"datasources\"><tr class=\"head\"><th>DataSource</th>"
                + "<th>class</th><th>kind</th><th>pool</th><th>URL</th><th>owner</th><th>bound to</th></tr>");
        for (DataSourceDescription d : view.discovery().seen()) {
            String name = view.discovery().boundName(d);
            html.append("<tr><td data-label=\"DataSource\">").append(escape(d.id()))
                    .append("</td><td data-label=\"class\">").append(escape(d.className()))
                    .append("</td><td data-label=\"kind\">").append(d.isPool() ? "pool" : "unpooled")
                    .append("</td><td data-label=\"pool\">").append(escape(d.poolName()))
                    .append("</td><td data-label=\"URL\">").append(escape(d.url()))
                    .append("</td><td data-label=\"owner\">").append(escape(d.ownerText()))
                    .append("</td><td data-label=\"bound to\" class=\"bound-to\">")
                    .append(name == null ? "<span class=\"muted\">—</span>" : escape(name)).append("</td></tr>");
        }
        html.append("</table></div>");
    }

    private static void pools(StringBuilder html, AgentSnapshot view) {
        if (view.pools().isEmpty()) {
            return;
        }
        html.append("<h2>Pools</h2><div class=\"scroll\"><table id=\"pools\"><tr class=\"head\"><th>pool</th><th>used</th>"
                + "<th>idle</th><th>max</th><th>waiting threads</th><th>timeouts</th></tr>");
        for (Map.Entry<String, PoolSample> pool : view.pools().entrySet()) {
            PoolSample sample = pool.getValue();
            html.append("<tr><td data-label=\"pool\">").append(escape(pool.getKey()))
                    .append("</td><td data-label=\"used\">").append(known(sample.used()))
                    .append("</td><td data-label=\"idle\">").append(known(sample.idle()))
                    .append("</td><td data-label=\"max\">").append(known(sample.max()))
                    .append("</td><td data-label=\"waiting threads\" class=\"")
                    .append(sample.pending() > 0 ? "bad" : "ok").append("\">").append(known(sample.pending()))
                    .append("</td><td data-label=\"timeouts\">").append(known(sample.timeouts())).append("</td></tr>");
        }
        html.append("</table></div>");
    }

    /** {@code export.host-registry=auto}: the application's registries published into, the names left out. */
    private static void export(StringBuilder html, AgentSnapshot view) {
        ExportStatus export = view.export();
        if (!export.isOn()) {
            return;
        }
        StringBuilder into = new StringBuilder();
        for (Map.Entry<String, Integer> kind : export.registries().entrySet()) {
            if (kind.getValue() > 0) {
                into.append(into.length() == 0 ? "" : ", ").append(kind.getValue()).append(" ")
                        .append(escape(kind.getKey()));
            }
        }
        html.append("<h2>Application's registry</h2><p id=\"export\">export.host-registry=auto: ")
                .append(into.length() == 0 ? "<span class=\"muted\">no registry of the application found yet "
                        + "(it is found when the application creates it)</span>" : "published into " + into)
                .append("</p>");
        if (!export.skipped().isEmpty()) {
            html.append("<p id=\"export-skipped\">Left out there, as the application has a metric of the same name "
                    + "(they stay on this agent's /metrics; rename one of them): <span class=\"bad\">")
                    .append(escape(join(export.skipped()))).append("</span></p>");
        }
    }

    private static String join(Iterable<String> names) {
        StringBuilder text = new StringBuilder();
        for (String name : names) {
            text.append(text.length() == 0 ? "" : ", ").append(name);
        }
        return text.toString();
    }

    private static String known(long count) {
        return count < 0 ? "<span class=\"muted\">—</span>" : String.valueOf(count);
    }

    private static void fleets(StringBuilder html, AgentSnapshot view) {
        if (view.fleets().isEmpty()) {
            return;
        }
        html.append("<h2>Fleet</h2><div class=\"scroll\"><table id=\"fleets\"><tr class=\"head\"><th>datasource</th><th>fleet</th>"
                + "<th>mode</th><th>this replica</th><th>since</th><th>lock</th><th>why</th></tr>");
        for (FleetStatus fleet : view.fleets().values()) {
            html.append("<tr data-datasource=\"").append(escape(fleet.dataSource()))
                    .append("\"><td data-label=\"datasource\">").append(escape(fleet.dataSource()))
                    .append("</td><td data-label=\"fleet\">").append(escape(fleet.fleet()))
                    .append("</td><td data-label=\"mode\" class=\"mode\">").append(fleet.reason().mode())
                    .append("</td><td data-label=\"this replica\" class=\"role ")
                    .append(fleet.runsFleetQueries() ? "ok" : "muted").append("\">").append(fleet.reason().label())
                    .append("</td><td data-label=\"since\">").append(time(fleet.sinceMillis()))
                    .append("</td><td data-label=\"lock\"><code>").append(escape(fleet.lockKey()))
                    .append("</code></td><td data-label=\"why\" class=\"why\">").append(escape(fleet.detail()))
                    .append("</td></tr>");
        }
        html.append("</table></div>");
    }

    private static void queries(StringBuilder html, AgentSnapshot view) {
        html.append("<h2>Queries</h2>");
        if (view.queries().isEmpty()) {
            html.append("<p class=\"muted\">No query runs.</p>");
            return;
        }
        html.append("<div class=\"scroll\"><table id=\"queries\"><tr class=\"head\"><th>query</th><th>SQL</th>"
                + "<th>every</th><th>datasource</th><th>last run</th><th>rows</th><th>series</th><th>dropped</th>"
                + "<th>result</th><th>next run</th><th>last error</th></tr>");
        for (QueryState state : failingFirst(view)) {
            QuerySpec spec = state.spec();
            QueryResult last = state.last();
            html.append("<tr data-query=\"").append(escape(spec.id())).append("\"><td data-label=\"query\">")
                    .append(escape(spec.id())).append("</td><td data-label=\"SQL\" class=\"sql\"><pre>")
                    .append(escape(spec.shownSql())).append("</pre></td><td data-label=\"every\">")
                    .append(Durations.format(spec.intervalMillis())).append(" <span class=\"muted\">(timeout ")
                    .append(Durations.format(spec.timeoutMillis())).append(")</span></td><td data-label=\"datasource\">")
                    .append(escape(spec.dataSource())).append(view.fleets().containsKey(spec.dataSource())
                            ? " <span class=\"muted\">(" + spec.scope().configName() + ")</span>" : "")
                    .append("</td>");
            if (last == null || !view.runsHere(spec)) {
                html.append("<td colspan=\"7\" class=\"muted waiting\" data-label=\"waiting\">")
                        .append(escape(state.waitingFor() == null ? "not run yet" : state.waitingFor()))
                        .append("</td>");
            } else {
                html.append("<td data-label=\"last run\">").append(time(last.startedMillis()))
                        .append(" <span class=\"muted\">(").append(Math.round(last.durationSeconds() * 1000))
                        .append(" ms)</span></td><td data-label=\"rows\" class=\"rows\">").append(last.rows())
                        .append("</td><td data-label=\"series\" class=\"series\">").append(series(last))
                        .append("</td><td data-label=\"dropped\" class=\"dropped\">").append(dropped(state))
                        .append("</td><td data-label=\"result\" class=\"result ")
                        .append(last.error() == null ? "ok" : "bad").append("\">").append(last.outcome().label())
                        .append("</td><td data-label=\"next run\" class=\"next\">")
                        .append(time(last.startedMillis() + state.nextDelayMillis()))
                        .append("</td><td data-label=\"last error\" class=\"error\"><pre>")
                        .append(last.error() == null ? "" : escape(last.error())).append("</pre></td>");
            }
            html.append("</tr>");
        }
        html.append("</table></div>");
    }

    /** The line shown until a DataSource is seen: after an attach, pools already made show up on their next use. */
    static final String NONE_SEEN = "None seen yet: the agent waits for the application's next database call. A "
            + "DataSource is found when the application creates it or asks it for a connection, so pools created "
            + "before an attach are found on their next getConnection.";

    /**
     * What needs a look, at the top: names not bound yet and queries whose last run failed, each with its error in
     * full (it wraps) and its next try. Nothing when all is well.
     */
    private static void attention(StringBuilder html, AgentSnapshot view) {
        StringBuilder items = new StringBuilder();
        int failing = 0;
        for (Binding binding : view.discovery().bindings().values()) {
            if (!binding.isBound()) {
                items.append("<li data-datasource=\"").append(escape(binding.name())).append("\"><b>datasource ")
                        .append(escape(binding.name())).append("</b>: <span class=\"bad\">not bound</span>")
                        .append(view.discovery().seen().isEmpty() ? " (" + escape(NONE_SEEN) + ")"
                                : " (see DataSources)").append("</li>");
            }
        }
        for (QueryState state : failingFirst(view)) {
            QueryResult last = state.last();
            if (!isFailing(view, state)) {
                break;
            }
            failing++;
            items.append("<li data-query=\"").append(escape(state.spec().id())).append("\"><b>")
                    .append(escape(state.spec().id())).append("</b>: <span class=\"bad\">")
                    .append(last.outcome().label()).append("</span>")
                    .append(state.awaitsSchema(last) ? " <span class=\"muted\">(a table or column it reads does "
                            + "not exist yet: tried at its interval until its first success)</span>" : "")
                    .append(", next try ").append(time(last.startedMillis() + state.nextDelayMillis()))
                    .append("<pre class=\"error\">").append(escape(last.error())).append("</pre></li>");
        }
        for (String name : view.export().skipped()) {
            items.append("<li data-metric=\"").append(escape(name)).append("\"><b>metric ").append(escape(name))
                    .append("</b>: <span class=\"bad\">left out of the application's registry</span>, which has a "
                            + "metric of that name (see Application's registry)</li>");
        }
        if (items.length() == 0) {
            return;
        }
        html.append("<section id=\"attention\"><h2>Needs attention</h2><p>").append(failing).append(" of ")
                .append(view.queries().size()).append(" queries failing</p><ul>").append(items).append("</ul></section>");
    }

    private static boolean isFailing(AgentSnapshot view, QueryState state) {
        return state.last() != null && state.last().error() != null && view.runsHere(state.spec());
    }

    /** The queries, those whose last run failed first, each group in configuration order. */
    private static java.util.List<QueryState> failingFirst(AgentSnapshot view) {
        java.util.List<QueryState> ordered = new java.util.ArrayList<QueryState>();
        for (QueryState state : view.queries().values()) {
            if (isFailing(view, state)) {
                ordered.add(state);
            }
        }
        for (QueryState state : view.queries().values()) {
            if (!isFailing(view, state)) {
                ordered.add(state);
            }
        }
        return ordered;
    }

    /** Rows that became no series so far, per metric and reason, e.g. {@code shop_orders: 3 max_series}. */
    private static String dropped(QueryState state) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Map<DropReason, Long>> metric : state.dropped().entrySet()) {
            for (Map.Entry<DropReason, Long> reason : metric.getValue().entrySet()) {
                if (reason.getValue() > 0) {
                    text.append(text.length() == 0 ? "" : "<br>").append(escape(metric.getKey())).append(": ")
                            .append(reason.getValue()).append(' ').append(reason.getKey().label());
                }
            }
        }
        return text.length() == 0 ? "0" : text.toString();
    }

    private static int series(QueryResult result) {
        int count = 0;
        for (MetricSnapshot snapshot : result.snapshots()) {
            count += snapshot.getDataPoints().size();
        }
        return count;
    }

    private static String time(long epochMillis) {
        String iso = UtcTime.iso(epochMillis);
        return iso.substring(0, iso.length() - 5) + "Z";
    }

    private static String uptime(long seconds) {
        long days = seconds / 86400;
        long hours = seconds % 86400 / 3600;
        long minutes = seconds % 3600 / 60;
        return (days > 0 ? days + "d " : "") + (days > 0 || hours > 0 ? hours + "h " : "") + minutes + "m "
                + seconds % 60 + "s";
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&':
                    out.append("&amp;");
                    break;
                case '<':
                    out.append("&lt;");
                    break;
                case '>':
                    out.append("&gt;");
                    break;
                case '"':
                    out.append("&quot;");
                    break;
                case '\'':
                    out.append("&#39;");
                    break;
                default:
                    out.append(c);
            }
        }
        return out.toString();
    }
}
