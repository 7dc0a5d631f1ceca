package dev.bizmetrics.agent.runtime;

import dev.bizmetrics.agent.config.AgentConfig;
import dev.bizmetrics.agent.discovery.DataSourceDescription;
import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.agent.pools.PoolSample;
import dev.bizmetrics.agent.pools.PoolSampler;
import dev.bizmetrics.agent.state.AgentSnapshot;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples every pool found, bound or not, through the pool's own getters, on the {@code bizmetrics-pools} thread:
 * a scrape reads the last sample and never touches a pool. {@code pools.metrics=false} stops it.
 */
final class PoolSampling implements Runnable {

    /**
     * How often the pools are sampled: within the usual scrape intervals (15 s and up), a few getters per pool, and
     * each wake-up of an idle thread costs its host about 0.3 ms of CPU.
     */
    static final long PERIOD_MILLIS = 10000L;

    private final SnapshotStore store;

    PoolSampling(SnapshotStore store) {
        this.store = store;
    }

    @Override
    public void run() {
        try {
            AgentSnapshot current = store.get();
            AgentConfig running = current.running();
            final Map<String, PoolSample> samples = running != null && !running.poolMetrics()
                    ? Collections.<String, PoolSample>emptyMap() : sample(current.discovery().seen());
            if (samples.equals(current.pools())) {
                return; // the same snapshot, and the collector keeps the families it built from it
            }
            store.update(new SnapshotStore.Change() {
                @Override
                public AgentSnapshot apply(AgentSnapshot snapshot) {
                    return snapshot.withPools(samples);
                }
            });
        } catch (Throwable t) {
            Log.debug("sampling the pools: " + Log.describe(t));
        }
    }

    /** The pools that answer, by the name they are exposed under, each name once. */
    static Map<String, PoolSample> sample(List<DataSourceDescription> seen) {
        Map<String, PoolSample> samples = new LinkedHashMap<String, PoolSample>();
        for (DataSourceDescription description : seen) {
            Object pool = description.instance();
            PoolSample sample = description.isPool() && pool != null ? PoolSampler.sample(pool) : null;
            if (sample != null) {
                String name = name(description);
                String unique = name;
                for (int n = 2; samples.containsKey(unique); n++) {
                    unique = name + " #" + n;
                }
                samples.put(unique, sample);
            }
        }
        return samples;
    }

    /**
     * {@code db.client.connection.pool.name}: the pool's own name, else, as the OpenTelemetry conventions suggest
     * for a pool without one, where it connects: the JDBC URL without {@code jdbc:} and its parameters (e.g.
     * {@code postgresql://db:5432/shop}), after the context path of the web application that made it where there is
     * one (Tomcat's shared {@code conf/context.xml} makes one pool of one URL per application), else its class.
     */
    static String name(DataSourceDescription description) {
        if (!description.poolName().isEmpty()) {
            return description.poolName();
        }
        String url = description.url();
        String where;
        if (url.isEmpty()) {
            where = description.id();
        } else {
            String name = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
            int parameters = indexOfAny(name, "?;");
            where = parameters > 0 ? name.substring(0, parameters) : name;
        }
        return description.contextPath().isEmpty() ? where : description.contextPath() + " " + where;
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
