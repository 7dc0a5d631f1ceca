package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.config.ConfigLoader;
import dev.bizmetrics.agent.config.LoadedConfig;
import dev.bizmetrics.agent.discovery.Binding;
import dev.bizmetrics.agent.discovery.DataSourceDescription;
import dev.bizmetrics.agent.engine.QueryState;
import dev.bizmetrics.agent.expose.AgentView;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/** An agent with no configuration and no DataSource; every answer fails while {@link #broken} is set. */
final class FakeView implements AgentView {

    final AtomicBoolean broken = new AtomicBoolean();

    private void check() {
        if (broken.get()) {
            throw new IllegalStateException("view exploded at dev.bizmetrics.Secret.line(42)");
        }
    }

    @Override
    public String version() {
        check();
        return "test";
    }

    @Override
    public long startedMillis() {
        check();
        return 0L;
    }

    @Override
    public LoadedConfig lastLoad() {
        check();
        return new ConfigLoader(Map.of(), new Properties()).load("/nonexistent/bizmetrics.properties", Map.of());
    }

    @Override
    public long lastLoadMillis() {
        check();
        return 0L;
    }

    @Override
    public String restartNotice() {
        check();
        return null;
    }

    @Override
    public Map<String, QueryState> queries() {
        check();
        return Map.of();
    }

    @Override
    public String poolFinding() {
        check();
        return "by a test";
    }

    @Override
    public List<DataSourceDescription> dataSources() {
        check();
        return List.of();
    }

    @Override
    public Map<String, Binding> bindings() {
        check();
        return Map.of();
    }
}
