package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.config.Durations;
import dev.bizmetrics.agent.config.LoadedConfig;
import dev.bizmetrics.agent.config.PasswordHash;
import dev.bizmetrics.agent.config.Problem;
import dev.bizmetrics.agent.config.QuerySpec;
import dev.bizmetrics.agent.discovery.Binding;
import dev.bizmetrics.agent.discovery.DataSourceDescription;
import dev.bizmetrics.agent.engine.QueryResult;
import dev.bizmetrics.agent.expose.AgentView;
import dev.bizmetrics.agent.log.UtcTime;
import dev.bizmetrics.agent.pools.PoolSample;
import dev.bizmetrics.agent.state.AgentSnapshot;
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

    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:0;padding:1rem;color:#1c1c1c;"
            + "background:#fafafa}h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}"
            + "nav a{margin-right:1rem}.scroll{overflow-x:auto}table{border-collapse:collapse;min-width:100%;"
            + "background:#fff}th,td{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top;"
            + "font-size:.9rem}th{background:#f0f0f0}pre{margin:0;white-space:pre-wrap;word-break:break-word;"
            + "font-size:.85rem}td pre{min-width:16rem}p,li{overflow-wrap:anywhere}"
            + ".ok{color:#17692e;font-weight:600}.bad{color:#b3261e;font-weight:600}"
            + ".muted{color:#666}ul{padding-left:1.2rem}";

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
        configuration(html, view);
        dataSources(html, view);
        pools(html, view);
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
            html.append("<p class=\"muted\">None seen yet: a DataSource is found when the application creates it or "
                    + "first asks it for a connection.</p>");
            return;
        }
        html.append("<div class=\"scroll\"><table id=\"datasources\"><tr><th>DataSource</th><th>class</th>"
                + "<th>kind</th><th>pool</th><th>URL</th><th>owner</th><th>bound to</th></tr>");
        for (DataSourceDescription d : view.discovery().seen()) {
            String name = view.discovery().boundName(d);
            html.append("<tr><td>").append(escape(d.id())).append("</td><td>").append(escape(d.className()))
                    .append("</td><td>").append(d.isPool() ? "pool" : "unpooled").append("</td><td>")
                    .append(escape(d.poolName())).append("</td><td>").append(escape(d.url())).append("</td><td>")
                    .append(escape(d.ownerText())).append("</td><td>")
                    .append(name == null ? "<span class=\"muted\">—</span>" : escape(name)).append("</td></tr>");
        }
        html.append("</table></div>");
    }

    private static void pools(StringBuilder html, AgentSnapshot view) {
        if (view.pools().isEmpty()) {
            return;
        }
        html.append("<h2>Pools</h2><div class=\"scroll\"><table id=\"pools\"><tr><th>pool</th><th>used</th>"
                + "<th>idle</th><th>max</th><th>waiting threads</th><th>timeouts</th></tr>");
        for (Map.Entry<String, PoolSample> pool : view.pools().entrySet()) {
            PoolSample sample = pool.getValue();
            html.append("<tr><td>").append(escape(pool.getKey())).append("</td><td>").append(known(sample.used()))
                    .append("</td><td>").append(known(sample.idle())).append("</td><td>").append(known(sample.max()))
                    .append("</td><td class=\"").append(sample.pending() > 0 ? "bad" : "ok").append("\">")
                    .append(known(sample.pending())).append("</td><td>").append(known(sample.timeouts()))
                    .append("</td></tr>");
        }
        html.append("</table></div>");
    }

    private static String known(long count) {
        return count < 0 ? "<span class=\"muted\">—</span>" : String.valueOf(count);
    }

    private static void fleets(StringBuilder html, AgentSnapshot view) {
        if (view.fleets().isEmpty()) {
            return;
        }
        html.append("<h2>Fleet</h2><div class=\"scroll\"><table id=\"fleets\"><tr><th>datasource</th><th>fleet</th>"
                + "<th>mode</th><th>this replica</th><th>since</th><th>lock</th><th>why</th></tr>");
        for (FleetStatus fleet : view.fleets().values()) {
            html.append("<tr data-datasource=\"").append(escape(fleet.dataSource())).append("\"><td>")
                    .append(escape(fleet.dataSource())).append("</td><td>").append(escape(fleet.fleet()))
                    .append("</td><td class=\"mode\">").append(fleet.reason().mode()).append("</td><td class=\"role ")
                    .append(fleet.runsFleetQueries() ? "ok" : "muted").append("\">").append(fleet.reason().label())
                    .append("</td><td>").append(time(fleet.sinceMillis())).append("</td><td><code>")
                    .append(escape(fleet.lockKey())).append("</code></td><td class=\"why\">")
                    .append(escape(fleet.detail())).append("</td></tr>");
        }
        html.append("</table></div>");
    }

    private static void queries(StringBuilder html, AgentSnapshot view) {
        html.append("<h2>Queries</h2>");
        if (view.queries().isEmpty()) {
            html.append("<p class=\"muted\">No query runs.</p>");
            return;
        }
        html.append("<div class=\"scroll\"><table id=\"queries\"><tr><th>query</th><th>SQL</th><th>every</th>"
                + "<th>timeout</th><th>datasource</th><th>last run</th><th>duration</th><th>rows</th>"
                + "<th>series</th><th>result</th><th>last error</th></tr>");
        for (QueryState state : view.queries().values()) {
            QuerySpec spec = state.spec();
            QueryResult last = state.last();
            html.append("<tr data-query=\"").append(escape(spec.id())).append("\"><td>").append(escape(spec.id()))
                    .append("</td><td><pre>").append(escape(spec.shownSql())).append("</pre></td><td>")
                    .append(Durations.format(spec.intervalMillis())).append("</td><td>")
                    .append(Durations.format(spec.timeoutMillis())).append("</td><td>")
                    .append(escape(spec.dataSource())).append(view.fleets().containsKey(spec.dataSource())
                            ? " <span class=\"muted\">(" + spec.scope().configName() + ")</span>" : "")
                    .append("</td>");
            if (last == null || !view.runsHere(spec)) {
                html.append("<td colspan=\"5\" class=\"muted\">")
                        .append(escape(state.waitingFor() == null ? "not run yet" : state.waitingFor()))
                        .append("</td><td></td>");
            } else {
                html.append("<td>").append(time(last.startedMillis())).append("</td><td>")
                        .append(Math.round(last.durationSeconds() * 1000)).append(" ms</td><td class=\"rows\">")
                        .append(last.rows()).append("</td><td class=\"series\">").append(series(last))
                        .append("</td><td class=\"result ").append(last.error() == null ? "ok" : "bad").append("\">")
                        .append(last.outcome().label()).append("</td><td class=\"error\"><pre>")
                        .append(last.error() == null ? "" : escape(last.error())).append("</pre></td>");
            }
            html.append("</tr>");
        }
        html.append("</table></div>");
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
