package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.log.Log;

import javax.net.ssl.SSLSocket;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One accepted connection, on its own thread: for HTTPS the handshake, then requests one after the other (keep-alive)
 * until the client or a limit ends it. Every wait on the client has an end: the handshake and each request's line
 * and headers must arrive within the header deadline, a kept-alive connection may idle for the idle timeout, and a
 * response the client does not take is cut by the listener's watchdog after the write deadline.
 */
final class HttpConnection implements Runnable {

    private static final int BUSY = 0;
    private static final int IDLE = 1;
    private static final int SHED = 2;
    /** How long a refused request's remaining bytes are read before closing, so that the client sees the answer. */
    private static final long LINGER_MILLIS = 1000;
    /** How long closing a TLS connection (close_notify) may take before the TCP socket is just closed. */
    private static final long TLS_CLOSE_MILLIS = 1000;

    private final Socket tcp;
    private final Tls tls;
    private final HttpListener listener;
    private final HttpLimits limits;
    private final RequestHandler handler;
    private final long startNanos;
    private final AtomicInteger state = new AtomicInteger(BUSY);
    private volatile long idleSinceNanos;

    HttpConnection(Socket tcp, Tls tls, HttpListener listener, HttpLimits limits, RequestHandler handler,
                   long startNanos) {
        this.tcp = tcp;
        this.tls = tls;
        this.listener = listener;
        this.limits = limits;
        this.handler = handler;
        this.startNanos = startNanos;
    }

    @Override
    public void run() {
        Socket socket = tcp;
        try {
            tcp.setTcpNoDelay(true); // head and body are separate writes; Nagle would hold the second for an ACK
            long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(limits.headerDeadlineMillis());
            if (tls != null) {
                SSLSocket ssl = tls.wrap(tcp);
                socket = ssl;
                handshake(ssl, deadline);
            }
            serve(socket, deadline);
        } catch (IOException e) {
            if (Log.isDebug()) {
                Log.debug("http connection from " + tcp.getRemoteSocketAddress() + " ended: " + Log.describe(e));
            }
        } catch (Throwable t) {
            Log.warn("http connection from " + tcp.getRemoteSocketAddress() + " failed", t);
        } finally {
            close(socket);
            listener.ended(this);
        }
    }

    /** The handshake under the header deadline: the watchdog cuts a client that trickles it byte by byte. */
    private void handshake(SSLSocket ssl, long deadline) throws IOException {
        Future<?> cut = listener.schedule(abortion(), remainingMillis(deadline));
        try {
            tcp.setSoTimeout((int) Math.max(1, remainingMillis(deadline)));
            ssl.startHandshake();
        } finally {
            cancel(cut);
        }
    }

    private void serve(Socket socket, long firstDeadline) throws IOException {
        DeadlineInput in = new DeadlineInput(socket);
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        long deadline = firstDeadline;
        while (true) {
            HttpRequest request;
            try {
                request = readRequest(in, deadline);
            } catch (BadRequest refused) {
                refuse(socket, in, out, refused);
                return;
            }
            if (request == null) {
                return; // the client closed between requests
            }
            String expect = request.header("Expect");
            if (expect != null && request.isHttp11()) { // HTTP/1.0 has no Expect (RFC 9110 10.1.1)
                if (!expect.equalsIgnoreCase("100-continue")) {
                    refuse(socket, in, out, new BadRequest(417, "only Expect: 100-continue is understood"));
                    return;
                }
                if (request.bodyLength() > 0) {
                    Future<?> cut = listener.schedule(abortion(), limits.writeDeadlineMillis());
                    try {
                        out.write(ResponseWriter.CONTINUE);
                        out.flush();
                    } finally {
                        cancel(cut);
                    }
                }
            }
            if (request.bodyLength() > 0) {
                // The body is nobody's business here, but it must be off the wire before the next request.
                in.deadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.headerDeadlineMillis()));
                skip(in, request.bodyLength());
            }
            if (!respond(request, out)) {
                return;
            }
            idleSinceNanos = System.nanoTime();
            state.set(IDLE);
            boolean more = in.awaitByte(idleSinceNanos + TimeUnit.MILLISECONDS.toNanos(limits.idleTimeoutMillis()));
            if (!state.compareAndSet(IDLE, BUSY) || !more) {
                return; // idle too long, closed by the client, or shed for a connection waiting for a slot
            }
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.headerDeadlineMillis());
        }
    }

    private HttpRequest readRequest(DeadlineInput in, long deadline) throws IOException, BadRequest {
        in.deadline(deadline);
        // Over TLS one read of ours can be several reads of the socket (a record arriving in pieces), each with the
        // time left; the watchdog makes the deadline hold for their sum too.
        Future<?> cut = tls == null ? null : listener.schedule(abortion(), remainingMillis(deadline));
        try {
            return RequestReader.read(in);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no complete request within "
                    + limits.headerDeadlineMillis() + " ms");
        } finally {
            cancel(cut);
        }
    }

    /** Answers the request; false when the connection must close after it. */
    private boolean respond(HttpRequest request, OutputStream out) throws IOException {
        ResponseWriter writer = new ResponseWriter(out, request, request.wantsKeepAlive(),
                new ResponseWriter.CloseAfter() {
                    @Override
                    public boolean now() {
                        return listener.isCrowded();
                    }
                });
        // Blocking writes have no timeout of their own: a client that does not read is cut by the watchdog.
        Future<?> cut = listener.schedule(abortion(), limits.writeDeadlineMillis());
        try {
            try {
                handler.handle(request, writer);
            } catch (IOException e) {
                if (writer.isCommitted()) {
                    throw e;
                }
                Log.warn("serving " + request.path() + " failed", e);
                writer.send(HttpResponse.text(500, "internal error; the agent's log has the details\n"));
            } catch (Throwable t) {
                Log.warn("serving " + request.path() + " failed", t);
                if (writer.isCommitted()) {
                    throw new IOException("the response to " + request.path() + " broke off", t);
                }
                writer.send(HttpResponse.text(500, "internal error; the agent's log has the details\n"));
            }
            writer.finish();
        } finally {
            cancel(cut);
        }
        return writer.keepsAlive();
    }

    /**
     * Answers a request refused before any handler, then closes. The client may still be sending (a body too large,
     * the rest of a long header): read a little of it first, or closing with unread bytes would reset the connection
     * and the client could lose the answer.
     */
    private void refuse(Socket socket, DeadlineInput in, OutputStream out, BadRequest refused) throws IOException {
        ResponseWriter writer = new ResponseWriter(out, null, false, null);
        Future<?> cut = listener.schedule(abortion(), limits.writeDeadlineMillis());
        try {
            writer.send(HttpResponse.text(refused.status(), "bad request: " + refused.getMessage() + "\n"));
            writer.finish();
            if (tls == null) {
                socket.shutdownOutput();
            }
            in.deadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS));
            skip(in, HttpLimits.MAX_BODY);
        } catch (IOException e) {
            // the answer is out or the client is gone; either way the connection ends here
        } finally {
            cancel(cut);
        }
    }

    /** Reads and drops up to {@code count} bytes, stopping early at the end of the stream. */
    private static void skip(DeadlineInput in, int count) throws IOException {
        byte[] scratch = new byte[4096];
        int left = count;
        while (left > 0) {
            int n = in.read(scratch, 0, Math.min(left, scratch.length));
            if (n < 0) {
                return;
            }
            left -= n;
        }
    }

    /**
     * Closes the connection if it has been waiting for a next request since {@code cutoffNanos} or earlier, for a
     * connection that waits for a slot. A FIN, not a reset: a client that was about to send on it reconnects.
     */
    boolean shedIfIdleSince(long cutoffNanos) {
        if (state.get() == IDLE && idleSinceNanos - cutoffNanos <= 0 && state.compareAndSet(IDLE, SHED)) {
            closeQuietly(tcp);
            return true;
        }
        return false;
    }

    /** Ends the connection now, whatever it is doing: a reset, and what was not sent yet is dropped. */
    void abort() {
        try {
            tcp.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closed already
        }
        closeQuietly(tcp);
    }

    private Runnable abortion() {
        return new Runnable() {
            @Override
            public void run() {
                abort();
            }
        };
    }

    private void close(Socket socket) {
        if (socket != tcp) {
            // close_notify can wait on a client that does not read; the watchdog bounds it
            Future<?> cut = listener.schedule(abortion(), TLS_CLOSE_MILLIS);
            closeQuietly(socket);
            cancel(cut);
        }
        closeQuietly(tcp);
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private static void cancel(Future<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
