package dev.bizmetrics.agent.it;

import dev.bizmetrics.agent.it.support.Chromium;
import dev.bizmetrics.agent.it.support.H2Tcp;
import dev.bizmetrics.agent.it.support.HostProcess;
import dev.bizmetrics.agent.it.support.Scrape;
import dev.bizmetrics.agent.it.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page as a person reads it, in headless Chromium at 1280 px and at a phone's 390 px: with a long error,
 * long SQL, a DataSource that is not bound and dropped series, nothing is cut off or needs a sideways scroll. The
 * page the agent served is laid out by the browser with a script of the test's that measures every box that must be
 * readable (scrollWidth against clientWidth, right edge against the window) and writes what it found into the DOM,
 * read back with {@code --dump-dom}. The page is loaded from a file because its own policy allows its one script
 * only, in a frame of the width under test.
 */
class StatusPageLayoutIT {

    /** Runs in the status page: measures, then tells the frame's parent what it found. */
    private static final String MEASURE = "<script>addEventListener('load',function(){var bad=[];"
            + "var w=document.documentElement.clientWidth;"
            + "if(document.documentElement.scrollWidth>w)bad.push('page '+document.documentElement.scrollWidth+'>'+w);"
            + "document.querySelectorAll('.scroll,td.error pre,#attention pre,#attention li,td.bound-to,td.sql pre,"
            + "#bindings li').forEach(function(e,i){var r=e.getBoundingClientRect();"
            + "if(e.scrollWidth>e.clientWidth+1||r.right>w+1)bad.push((e.id||e.className||e.tagName)+'#'+i+' '"
            + "+e.scrollWidth+'/'+e.clientWidth+' right '+Math.round(r.right)+'>'+w)});"
            + "parent.postMessage({width:w,result:bad.length?bad.join('; '):'fits'},'*')});</script>";

    /**
     * Headless Chromium will not make its window narrower than about 500 px, so the page is laid out in a frame of
     * the width under test (its media queries follow the frame's width); the result comes back by message.
     */
    private static String frame(int width, int height) {
        return "<!DOCTYPE html><html><body style=\"margin:0\"><iframe src=\"status.html\" style=\"border:0;width:"
                + width + "px;height:" + height + "px\"></iframe><script>addEventListener('message',function(e){"
                + "var d=document.createElement('div');d.id='layout-check';d.setAttribute('data-width',e.data.width);"
                + "d.textContent=e.data.result;document.body.appendChild(d)})</script></body></html>";
    }

    @Test
    void failingQueriesComeFirstAndEveryErrorIsReadableAt1280AndOnAPhone(@TempDir Path dir) throws Exception {
        String longColumn = "a_column_whose_name_is_long_enough_to_overflow_any_table_cell_that_does_not_wrap_"
                + "its_text_at_all";
        Path config = TestConfigs.write(dir, "defaults.interval=1s\ndatasource.main.match=auto\n"
                + "datasource.other.match=pool:no_such_pool_in_this_application\n"
                + "metric.shop_orders.sql=SELECT status, COUNT(*) AS orders FROM orders GROUP BY status\n"
                + "metric.shop_orders.max-series=1\n"
                + "metric.broken.sql=SELECT " + longColumn + ", " + longColumn + "_2 FROM orders WHERE status IN "
                + "('NEW', 'PAID', 'SHIPPED', 'CANCELLED', 'REFUNDED', 'ON_HOLD', 'AWAITING_PAYMENT')\n"
                + "metric.elsewhere.sql=SELECT COUNT(*) AS n FROM orders\n"
                + "metric.elsewhere.datasource=other\n");
        String url = H2Tcp.newDatabase("layout");
        try (HostProcess host = HostProcess.startShop(HostProcess.JAVA_17, List.of(HostProcess.agentFlag("config="
                + config + ",http.port=0")), List.of("--jdbc-url", url, "--rate", "0"))) {
            int port = host.awaitMetricsPort();
            Scrape.until(port, m -> Double.valueOf(1.0).equals(m.get("bizmetrics_query_success{query=\"shop_orders\"}"))
                    && Double.valueOf(0.0).equals(m.get("bizmetrics_query_success{query=\"broken\"}")),
                    Duration.ofSeconds(30));
            String page = Scrape.text(port, "/");
            // Kept for a person to look at (and to measure another style against).
            Files.createDirectories(Path.of("target", "it-artefacts"));
            Files.writeString(Path.of("target", "it-artefacts", "status-page-layout.html"), page);
            Path file = dir.resolve("status.html");
            Files.writeString(file, page.replace("</body>", MEASURE + "</body>"));

            for (int[] size : new int[][] {{1280, 900}, {390, 844}}) {
                Path frame = dir.resolve("frame-" + size[0] + ".html");
                Files.writeString(frame, frame(size[0], size[1]));
                String dom = Chromium.dumpDom(frame.toUri().toString(), dir.resolve("chromium"),
                        "--window-size=1400,1000", "--virtual-time-budget=5000");
                Matcher check = Pattern.compile("<div id=\"layout-check\" data-width=\"(\\d+)\">([^<]*)</div>")
                        .matcher(dom);
                assertThat(check.find()).as(size[0] + ": the measuring script ran; " + dom).isTrue();
                // The page had that width (less a scroll bar at most), and everything fitted it.
                assertThat(Integer.parseInt(check.group(1))).as("width").isBetween(size[0] - 20, size[0]);
                assertThat(check.group(2)).as(size[0] + " px").isEqualTo("fits");
            }

            // What the page says, in the order a person needs it.
            assertThat(page).contains("<section id=\"attention\"><h2>Needs attention</h2><p>1 of 3 queries failing"
                    + "</p><ul><li data-datasource=\"other\"><b>datasource other</b>: <span class=\"bad\">not bound"
                    + "</span> (see DataSources)</li><li data-query=\"broken\"><b>broken</b>: <span class=\"bad\">"
                    + "error</span> <span class=\"muted\">(a table or column it reads does not exist yet: tried at "
                    + "its interval until its first success)</span>, next try ");
            assertThat(page.indexOf("<tr data-query=\"broken\">"))
                    .isLessThan(page.indexOf("<tr data-query=\"shop_orders\">"));
            assertThat(page).contains("<td data-label=\"dropped\" class=\"dropped\">shop_orders: ")
                    .containsPattern("shop_orders: \\d+ max_series</td>");
            // The not-bound explanation is shown once, with the DataSources, not in each query's row.
            assertThat(page).contains("<td colspan=\"7\" class=\"muted waiting\" data-label=\"waiting\">datasource "
                    + "other is not bound yet (see DataSources)</td>");
            assertThat(page.split("no_such_pool_in_this_application", -1)).hasSize(2);
        }
    }
}
