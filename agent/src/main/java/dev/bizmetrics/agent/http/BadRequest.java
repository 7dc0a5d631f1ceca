package dev.bizmetrics.agent.http;

/**
 * A request the server refuses before any handler sees it, with the status and the one line of plain text to answer.
 * The connection is closed after the answer: what follows on it can no longer be trusted to start a request.
 */
final class BadRequest extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    BadRequest(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
