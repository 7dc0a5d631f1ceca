package dev.bizmetrics.agent.http;

import dev.bizmetrics.agent.threads.DaemonThreads;
import dev.bizmetrics.agent.log.Log;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The accept loop and its caps. One thread ({@code bizmetrics-http-accept}) accepts and never reads or writes: each
 * connection gets a thread of its own ({@code bizmetrics-http-N}), made when it is accepted and gone when it ends, so
 * no idle pool stays in the host. At most {@link HttpLimits#maxConnections()} are served at once; at the cap the
 * acceptor holds the next connection and waits for a slot, and the ones after it wait in the kernel's backlog. A burst
 * of scrapers (Prometheus servers in HA, a federation) is then served a little later rather than refused. While one
 * waits, responses close their connection and kept-alive connections idle for a second give up theirs, so that no
 * client holds a slot it does not use. One timer thread ({@code bizmetrics-http-watchdog}) fires the deadlines that
 * a socket timeout cannot: it only closes sockets.
 */
final class HttpListener {

    /** How often the acceptor, waiting for a slot, looks for idle connections to shed. */
    private static final long SHED_POLL_MILLIS = 100;
    /** How long {@link #close()} waits for the server's threads to end. */
    private static final long CLOSE_MILLIS = 1000;

    private final ServerSocket server;
    private final Tls tls;
    private final HttpLimits limits;
    private final RequestHandler handler;
    private final Semaphore slots;
    private final Set<HttpConnection> open = Collections.newSetFromMap(
            new ConcurrentHashMap<HttpConnection, Boolean>());
    /** Every connection thread started and not yet seen dead, so that {@link #close()} can wait for them. */
    private final Set<Thread> threads = Collections.newSetFromMap(new ConcurrentHashMap<Thread, Boolean>());
    private final ThreadFactory connectionThreads = new DaemonThreads("http");
    private final ScheduledThreadPoolExecutor watchdog;
    private final Thread acceptor;
    private volatile boolean closed;
    /** True while an accepted connection waits for a slot. */
    private volatile boolean waiting;
    /** Acceptor thread only. */
    private long lastAcceptWarning;

    /** @param tls null for plain HTTP */
    HttpListener(ServerSocket server, Tls tls, HttpLimits limits, RequestHandler handler) {
        this.server = server;
        this.tls = tls;
        this.limits = limits;
        this.handler = handler;
        this.slots = new Semaphore(limits.maxConnections());
        this.watchdog = new ScheduledThreadPoolExecutor(1, DaemonThreads.single("http-watchdog"));
        watchdog.setRemoveOnCancelPolicy(true); // a cancelled deadline must not keep its socket reachable for 30 s
        watchdog.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.acceptor = DaemonThreads.single("http-accept").newThread(new Runnable() {
            @Override
            public void run() {
                acceptLoop();
            }
        });
    }

    void start() {
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // e.g. out of file descriptors: say so (once a minute at most) and try again soon, without spinning
                long now = System.nanoTime();
                if (lastAcceptWarning == 0 || now - lastAcceptWarning > TimeUnit.MINUTES.toNanos(1)) {
                    lastAcceptWarning = now;
                    Log.warn("accepting an http connection failed", e);
                }
                pause();
                continue;
            }
            try {
                awaitSlot();
            } catch (InterruptedException e) {
                closeQuietly(socket);
                return;
            }
            if (closed) {
                slots.release();
                closeQuietly(socket);
                return;
            }
            serve(socket);
        }
    }

    /** Waits for a connection to end, shedding idle ones meanwhile; the thread waits on nothing a client does. */
    private void awaitSlot() throws InterruptedException {
        if (slots.tryAcquire()) {
            return;
        }
        waiting = true;
        try {
            do {
                // One at a time: a slot is all that is needed, and every shed client has to reconnect.
                long cutoff = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(limits.shedIdleAfterMillis());
                for (HttpConnection connection : open) {
                    if (connection.shedIfIdleSince(cutoff)) {
                        break;
                    }
                }
            } while (!closed && !slots.tryAcquire(SHED_POLL_MILLIS, TimeUnit.MILLISECONDS));
        } finally {
            waiting = false;
        }
    }

    private void serve(Socket socket) {
        // The header deadline runs from now: the time the connection waited for a slot is not the client's doing.
        HttpConnection connection = new HttpConnection(socket, tls, this, limits, handler, System.nanoTime());
        open.add(connection);
        pruneDeadThreads();
        try {
            Thread thread = connectionThreads.newThread(connection);
            threads.add(thread);
            thread.start();
        } catch (Throwable t) { // OutOfMemoryError: unable to create native thread; the host matters more
            Log.warn("cannot start a thread for an http connection; closing it", t);
            connection.abort();
            ended(connection);
        }
    }

    private void pruneDeadThreads() {
        for (Iterator<Thread> i = threads.iterator(); i.hasNext(); ) {
            if (!i.next().isAlive()) {
                i.remove();
            }
        }
    }

    /** Called by a connection as its last act. */
    void ended(HttpConnection connection) {
        if (open.remove(connection)) {
            slots.release();
        }
    }

    /** True when a response should close its connection: someone waits for a slot, or the server is closing. */
    boolean isCrowded() {
        return waiting || closed;
    }

    /**
     * Runs the task after the delay on the watchdog thread; null when the server is closed, after running the task
     * at once (every task is a socket's end, and a closed server ends every socket).
     */
    Future<?> schedule(Runnable task, long delayMillis) {
        try {
            return watchdog.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            task.run();
            return null;
        }
    }

    /** Stops accepting, resets every open connection and waits up to a second for every thread of the server. */
    void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        acceptor.interrupt();
        for (HttpConnection connection : open) {
            connection.abort();
        }
        watchdog.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_MILLIS);
        try {
            acceptor.join(leftMillis(deadline));
            // The acceptor is done: no thread starts from now on. A connection it took in the instant before it
            // saw the flag is ended here with the others.
            for (HttpConnection connection : open) {
                connection.abort();
            }
            for (Thread thread : new ArrayList<Thread>(threads)) {
                thread.join(leftMillis(deadline));
            }
            watchdog.awaitTermination(leftMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long leftMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
