package dev.bizmetrics.testhosts;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain {@code main} with one pool of each kind named on its command line, each on its own database:
 * <pre>
 * PoolsHost [--user U] [--password P] [--use-every MILLIS] KIND=JDBC_URL ...
 * </pre>
 * Without {@code --use-every} the pools are created and never used: the agent's queries are their first use.
 * With it, the host asks every pool for a connection at that pace, as a running application does (the dynamic
 * attach case: pools that served connections before the agent came). Prints {@code pools: created ...}, then
 * {@code pools: used} after the first round of use.
 */
public final class PoolsHost {

    private PoolsHost() {
    }

    public static void main(String[] args) throws Exception {
        String user = "sa";
        String password = "";
        long useEvery = 0;
        Map<String, String> urls = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--user" -> user = args[++i];
                case "--password" -> password = args[++i];
                case "--use-every" -> useEvery = Long.parseLong(args[++i]);
                default -> {
                    int eq = args[i].indexOf('=');
                    urls.put(args[i].substring(0, eq), args[i].substring(eq + 1));
                }
            }
        }
        List<DataSource> pools = new ArrayList<>();
        for (Map.Entry<String, String> entry : urls.entrySet()) {
            pools.add(Pools.create(entry.getKey(), entry.getValue(), user, password));
        }
        System.out.println("pools: created " + String.join(",", urls.keySet()));
        boolean announced = false;
        while (true) {
            if (useEvery > 0) {
                for (DataSource pool : pools) {
                    Pools.use(pool);
                }
                if (!announced) {
                    System.out.println("pools: used");
                    announced = true;
                }
            }
            Thread.sleep(useEvery > 0 ? useEvery : 60_000);
        }
    }
}
