package dev.bizmetrics.agent.instrument;

/**
 * Stands in for a pool class in weaving tests. Its shapes are the awkward ones for a weaver: a method whose first
 * instruction is a loop target (a stack map frame at offset 0), a constructor with several returns and branches,
 * wide (long, double) parameters, and a constructor delegating to another.
 */
public class FakePool {
    private final String name;
    private int handedOut;

    public FakePool() {
        this("default", 0L, 0.0);
    }

    public FakePool(String name, long size, double weight) {
        if (size < 0) {
            this.name = "negative";
            return;
        }
        String chosen = name;
        for (int i = 0; i < size && i < 3; i++) {
            chosen = chosen + i;
        }
        this.name = weight > 1 ? chosen.toUpperCase() : chosen;
    }

    public Object getConnection() {
        int tries = 0;
        while (tries < 3) {
            tries++;
            if (tries == 2) {
                break;
            }
        }
        handedOut++;
        return name + "#" + handedOut;
    }

    public Object getConnection(String user, String password) {
        return user + "@" + name;
    }

    public String name() {
        return name;
    }

    public int handedOut() {
        return handedOut;
    }
}
