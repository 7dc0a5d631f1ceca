package dev.bizmetrics.agent.state;

/** Whether the agent's port is open, where, and why not when it is not. Immutable. */
public final class PortState {

    public static final PortState NOT_YET = new PortState(null, "not opened yet");

    private final String address;
    private final String problem;

    private PortState(String address, String problem) {
        this.address = address;
        this.problem = problem;
    }

    /** @param address e.g. {@code http://127.0.0.1:30313 (basic auth)} */
    public static PortState open(String address) {
        return new PortState(address, null);
    }

    /** @param why a sentence, e.g. "the http.* settings of the file cannot be used" */
    public static PortState closed(String why) {
        return new PortState(null, why);
    }

    /** Where it listens, or null when closed. */
    public String address() {
        return address;
    }

    /** Why it is closed, or null when open. */
    public String problem() {
        return problem;
    }
}
