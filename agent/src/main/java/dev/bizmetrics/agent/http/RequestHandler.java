package dev.bizmetrics.agent.http;

import java.io.IOException;

/**
 * Answers one request through the writer. A handler that throws before it wrote anything gets a 500 sent for it and
 * the connection goes on; one that throws after it began its response gets the connection closed.
 */
interface RequestHandler {
    void handle(HttpRequest request, ResponseWriter response) throws IOException;
}
