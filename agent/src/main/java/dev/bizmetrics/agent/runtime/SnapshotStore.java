package dev.bizmetrics.agent.runtime;

import dev.bizmetrics.agent.state.AgentSnapshot;

import java.util.concurrent.atomic.AtomicReference;

/** The one reference through which the agent publishes what it knows; readers take a snapshot, writers a change. */
final class SnapshotStore {

    /** A change to the agent's snapshot: a pure function, as it may be applied more than once. */
    interface Change {
        AgentSnapshot apply(AgentSnapshot current);
    }

    private final AtomicReference<AgentSnapshot> current;

    SnapshotStore(AgentSnapshot first) {
        current = new AtomicReference<AgentSnapshot>(first);
    }

    AgentSnapshot get() {
        return current.get();
    }

    /** Applies a change atomically; writers are few (the control thread, one worker per running query). */
    AgentSnapshot update(Change change) {
        while (true) {
            AgentSnapshot before = current.get();
            AgentSnapshot after = change.apply(before);
            if (after == before || current.compareAndSet(before, after)) {
                return after;
            }
        }
    }
}
