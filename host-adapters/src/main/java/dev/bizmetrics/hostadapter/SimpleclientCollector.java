package dev.bizmetrics.hostadapter;

import io.prometheus.client.Collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The agent's metrics in a simpleclient {@code CollectorRegistry} of the application (Micrometer up to 1.12, Spring
 * Boot 2.x and 3.0-3.2, or the default registry), defined into the registry's class loader and compiled against its
 * API. The same families as the agent's own {@code /metrics}: a counter's samples end in {@code _total}, an info is
 * simpleclient's info type, a histogram's buckets are cumulative with {@code le} formatted as client_java does. It
 * describes no names, so that the registry never refuses one of the host's own collectors because of the agent's; a
 * family named like one of the host's is left out and noted instead. Never throws.
 */
public final class SimpleclientCollector extends Collector implements Collector.Describable {

    private final Supplier<Object[]> families;
    private final AtomicReference<Set<String>> hostNames;
    private final Set<String> clashes;
    private final AtomicLong errors;

    public SimpleclientCollector(Supplier<Object[]> families, AtomicReference<Set<String>> hostNames,
                                 Set<String> clashes, AtomicLong errors) {
        this.families = families;
        this.hostNames = hostNames;
        this.clashes = clashes;
        this.errors = errors;
    }

    @Override
    public List<MetricFamilySamples> describe() {
        return Collections.emptyList();
    }

    @Override
    public List<MetricFamilySamples> collect() {
        try {
            Object[] all = families.get();
            Set<String> taken = hostNames.get();
            List<MetricFamilySamples> result = new ArrayList<MetricFamilySamples>(all.length);
            for (Object entry : all) {
                Object[] family = (Object[]) entry;
                String name = (String) family[1];
                if (taken.contains(name)) {
                    clashes.add(name);
                } else {
                    result.add(family(family));
                }
            }
            return result;
        } catch (Throwable t) {
            errors.incrementAndGet();
            return new ArrayList<MetricFamilySamples>();
        }
    }

    private static MetricFamilySamples family(Object[] family) {
        String kind = (String) family[0];
        String name = (String) family[1];
        String help = (String) family[2];
        List<MetricFamilySamples.Sample> samples = new ArrayList<MetricFamilySamples.Sample>();
        Type type;
        for (Object point : (Object[]) family[3]) {
            Object[] p = (Object[]) point;
            List<String> names = Arrays.asList((String[]) p[0]);
            List<String> values = Arrays.asList((String[]) p[1]);
            double[] n = (double[]) p[2];
            Long timestamp = (Long) p[3];
            if (kind.equals("counter")) {
                samples.add(new MetricFamilySamples.Sample(name + "_total", names, values, n[0], timestamp));
            } else if (kind.equals("info")) {
                samples.add(new MetricFamilySamples.Sample(name + "_info", names, values, 1, timestamp));
            } else if (kind.equals("histogram")) {
                double cumulative = 0;
                for (int i = 1; i + 1 < n.length; i += 2) {
                    cumulative += n[i + 1];
                    samples.add(new MetricFamilySamples.Sample(name + "_bucket", with(names, "le"),
                            with(values, doubleToGoString(n[i])), cumulative, timestamp));
                }
                samples.add(new MetricFamilySamples.Sample(name + "_count", names, values, cumulative, timestamp));
                if (!Double.isNaN(n[0])) {
                    samples.add(new MetricFamilySamples.Sample(name + "_sum", names, values, n[0], timestamp));
                }
            } else if (kind.equals("summary")) {
                for (int i = 2; i + 1 < n.length; i += 2) {
                    samples.add(new MetricFamilySamples.Sample(name, with(names, "quantile"),
                            with(values, doubleToGoString(n[i])), n[i + 1], timestamp));
                }
                if (n[1] >= 0) {
                    samples.add(new MetricFamilySamples.Sample(name + "_count", names, values, n[1], timestamp));
                }
                if (!Double.isNaN(n[0])) {
                    samples.add(new MetricFamilySamples.Sample(name + "_sum", names, values, n[0], timestamp));
                }
            } else {
                samples.add(new MetricFamilySamples.Sample(name, names, values, n[0], timestamp));
            }
        }
        if (kind.equals("counter")) {
            type = Type.COUNTER;
        } else if (kind.equals("info")) {
            type = Type.INFO;
        } else if (kind.equals("histogram")) {
            type = Type.HISTOGRAM;
        } else if (kind.equals("summary")) {
            type = Type.SUMMARY;
        } else {
            type = Type.GAUGE;
        }
        return new MetricFamilySamples(name, type, help, samples);
    }

    private static List<String> with(List<String> list, String last) {
        List<String> result = new ArrayList<String>(list.size() + 1);
        result.addAll(list);
        result.add(last);
        return result;
    }
}
