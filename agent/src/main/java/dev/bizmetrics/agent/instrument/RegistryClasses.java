package dev.bizmetrics.agent.instrument;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The class names of the application's Prometheus clients: the registries whose constructors are woven
 * ({@link #HOOKED}), and what {@code hostexport} reaches by reflection. Joined at run time: the shade plugin rewrites every string
 * constant that starts with {@code io.prometheus} to the agent's relocated package, and these must stay the host's.
 */
public final class RegistryClasses {

    private static final String IO = "io";

    public static final String CLIENT_JAVA_REGISTRY = join(".prometheus.metrics.model.registry.PrometheusRegistry");
    public static final String CLIENT_JAVA_MULTI_COLLECTOR = join(".prometheus.metrics.model.registry.MultiCollector");
    public static final String SIMPLECLIENT_REGISTRY = join(".prometheus.client.CollectorRegistry");
    public static final String SIMPLECLIENT_COLLECTOR = join(".prometheus.client.Collector");
    public static final String MICROMETER_CLIENT_JAVA = join(".micrometer.prometheusmetrics.PrometheusMeterRegistry");
    public static final String MICROMETER_SIMPLECLIENT = join(".micrometer.prometheus.PrometheusMeterRegistry");
    public static final String MICROMETER_METER = join(".micrometer.core.instrument.Meter");

    /** The registry classes whose constructors report to {@code HostRegistries}, by binary name. */
    public static final List<String> HOOKED = Collections.unmodifiableList(Arrays.asList(CLIENT_JAVA_REGISTRY,
            SIMPLECLIENT_REGISTRY, MICROMETER_CLIENT_JAVA, MICROMETER_SIMPLECLIENT));

    private RegistryClasses() {
    }

    private static String join(String rest) {
        return new StringBuilder(IO).append(rest).toString();
    }
}
