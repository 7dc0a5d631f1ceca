package dev.bizmetrics.testhosts;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain {@code main} with one pool of each kind named on its command line, each on its own database:
 * <pre>
 * PoolsHost [--user U] [--password P] [--use-every MILLIS] [--await-input] [--exit-after MILLIS] KIND=JDBC_URL ...
 * </pre>
 * Without {@code --use-every} the pools are created and never used: the agent's queries are their first use.
 * With it, the host asks every pool for a connection at that pace, as a running application does (the dynamic
 * attach case: pools that served connections before the agent came). Prints {@code pools: created ...}, then
 * {@code pools: used} after the first round of use. With {@code --await-input} it creates the pools only when a line
 * {@code create} comes on its standard input, after {@code pools: waiting}; a line {@code retransform} before it has
 * the {@link RetransformingAgent} retransform {@code java.lang.ClassLoader}. With {@code --exit-after} it exits that long
 * after creating the pools, as the training run of a class archive does.
 */
public final class PoolsHost {

    private PoolsHost() {
    }

    public static void main(String[] args) throws Exception {
        String user = "sa";
        String password = "";
        long useEvery = 0;
        boolean awaitInput = false;
        long exitAfter = 0;
        Map<String, String> urls = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--user" -> user = args[++i];
                case "--password" -> password = args[++i];
                case "--use-every" -> useEvery = Long.parseLong(args[++i]);
                case "--await-input" -> awaitInput = true;
                case "--exit-after" -> exitAfter = Long.parseLong(args[++i]);
                default -> {
                    int eq = args[i].indexOf('=');
                    urls.put(args[i].substring(0, eq), args[i].substring(eq + 1));
                }
            }
        }
        if (awaitInput) {
            awaitCreate();
        }
        List<DataSource> pools = new ArrayList<>();
        for (Map.Entry<String, String> entry : urls.entrySet()) {
            pools.add(Pools.create(entry.getKey(), entry.getValue(), user, password));
        }
        System.out.println("pools: created " + String.join(",", urls.keySet()));
        if (exitAfter > 0) {
            Thread.sleep(exitAfter);
            System.exit(0);
        }
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

    private static void awaitCreate() throws Exception {
        System.out.println("pools: waiting");
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = input.readLine()) != null; ) {
            switch (line.trim()) {
                case "create" -> {
                    return;
                }
                case "retransform" -> System.out.println("pools: the other agent retransformed java.lang.ClassLoader, "
                        + "seen " + RetransformingAgent.retransformClassLoader() + " time(s)");
                default -> System.out.println("pools: unknown command " + line);
            }
        }
        throw new IllegalStateException("standard input ended before create");
    }
}
