package dev.bizmetrics.testhosts;

import dev.bizmetrics.testhosts.custom.ApiOnlyPool;
import dev.bizmetrics.testhosts.custom.NightlyPool;
import dev.bizmetrics.testhosts.custom.TinyPool;

import javax.sql.DataSource;

/**
 * An application whose DataSources are its own classes, which only generic discovery finds:
 * <pre>CustomPoolsHost NIGHTLY_URL API_ONLY_URL TINY_URL</pre>
 * Created in that order, so that each way of recognising a DataSource class is needed (see the classes).
 */
public final class CustomPoolsHost {

    private CustomPoolsHost() {
    }

    public static void main(String[] args) throws Exception {
        DataSource nightly = new NightlyPool("nightly", args[0]);
        DataSource apiOnly = new ApiOnlyPool("api-only", args[1]);
        DataSource tiny = new TinyPool("tiny", args[2]);
        System.out.println("custom: created");
        while (true) {
            Pools.use(nightly);
            Pools.use(apiOnly);
            Pools.use(tiny);
            Thread.sleep(1000);
        }
    }
}
