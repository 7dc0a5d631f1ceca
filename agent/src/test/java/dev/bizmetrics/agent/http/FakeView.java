package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.config.ConfigLoader;
import dev.bizmetrics.agent.config.ConfigSource;
import dev.bizmetrics.agent.state.AgentView;
import dev.bizmetrics.agent.state.AgentSnapshot;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/** An agent with no configuration and no DataSource; every answer fails while {@link #broken} is set. */
final class FakeView implements AgentView {

    final AtomicBoolean broken = new AtomicBoolean();

    @Override
    public AgentSnapshot snapshot() {
        if (broken.get()) {
            throw new IllegalStateException("view exploded at dev.bizmetrics.Secret.line(42)");
        }
        return AgentSnapshot.first("test", 0L, "by a test", ConfigLoader.load(new ConfigSource(
                "/nonexistent/bizmetrics.properties", Map.of(), Map.of(), new Properties())), 0L);
    }
}
