package dev.bizmetrics.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * A connection's buffered input where every read from the socket must complete before one deadline. A socket
 * timeout alone bounds each read, not their sum: a client sending one byte a second would never time out. So before
 * each read from the socket the timeout is set to the time left, and a read with no time left fails at once.
 */
final class DeadlineInput extends InputStream {

    private final Socket socket;
    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private long deadlineNanos;
    private boolean deadlineSet;

    DeadlineInput(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Reads from now on must complete by then ({@link System#nanoTime()}). */
    void deadline(long nanos) {
        this.deadlineNanos = nanos;
        this.deadlineSet = true;
    }

    /**
     * True once a byte is there to read, false when the client closed the connection or sent nothing before the
     * deadline: the wait for a kept-alive connection's next request.
     */
    boolean awaitByte(long deadlineNanos) throws IOException {
        deadline(deadlineNanos);
        try {
            return position < limit || fill();
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public int read() throws IOException {
        if (position >= limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position >= limit && !fill()) {
            return -1;
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, into, offset, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return limit - position;
    }

    /** One read from the socket within the time left; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (deadlineSet) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("the deadline passed");
            }
            socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}
