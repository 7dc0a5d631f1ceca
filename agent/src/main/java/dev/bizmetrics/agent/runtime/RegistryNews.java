package dev.bizmetrics.agent.runtime;

import dev.bizmetrics.agent.log.Log;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The registry's news (a DataSource first created or first used), handed from the host's thread to the control
 * thread, which refreshes discovery once the news has settled: a DataSource is reported at the end of its
 * constructor, and most pools (UCP, DBCP2, c3p0, any bean) get their URL and name from setters called right after
 * it, often several pools in a row at start-up. So discovery looks {@value #QUIET_MILLIS} ms after the last news, and
 * at most {@value #MAX_WAIT_MILLIS} ms after the first.
 */
final class RegistryNews implements Runnable {

    static final long QUIET_MILLIS = 1000L;
    static final long MAX_WAIT_MILLIS = 5000L;

    private final ScheduledExecutorService control;
    private final Runnable refresh;
    /** A look is due on the control thread: news until it runs joins it. */
    private final AtomicBoolean due = new AtomicBoolean();
    private volatile long lastNanos;
    /** Written by the thread that made the look due, read by the look it scheduled. */
    private long firstNanos;
    private final Runnable look = new Runnable() {
        @Override
        public void run() {
            long now = System.nanoTime();
            long quietMillis = TimeUnit.NANOSECONDS.toMillis(now - lastNanos);
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(now - firstNanos);
            if (quietMillis < QUIET_MILLIS && waitedMillis < MAX_WAIT_MILLIS) {
                schedule(Math.max(1L, Math.min(QUIET_MILLIS - quietMillis, MAX_WAIT_MILLIS - waitedMillis)));
                return;
            }
            due.set(false);
            try {
                refresh.run();
            } catch (Throwable t) {
                Log.error("discovery failed on the control thread; it goes on", t);
            }
        }
    };

    RegistryNews(ScheduledExecutorService control, Runnable refresh) {
        this.control = control;
        this.refresh = refresh;
    }

    /** On the host's thread that created or first used a DataSource: a time stamp, at most one task queued. */
    @Override
    public void run() {
        long now = System.nanoTime();
        lastNanos = now;
        if (due.compareAndSet(false, true)) {
            firstNanos = now;
            schedule(QUIET_MILLIS);
        }
    }

    private void schedule(long delayMillis) {
        try {
            control.schedule(look, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the runtime is closing: the news is for nobody
        }
    }
}
