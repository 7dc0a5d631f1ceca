package dev.bizmetrics.agent.threads;

import dev.bizmetrics.agent.log.Log;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code bizmetrics-<purpose>-<n>}, so the agent never keeps the host's JVM alive. */
public final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final boolean numbered;
    private final AtomicInteger count = new AtomicInteger();

    public DaemonThreads(String purpose) {
        this("bizmetrics-" + purpose + "-", true);
    }

    private DaemonThreads(String prefix, boolean numbered) {
        this.prefix = prefix;
        this.numbered = numbered;
    }

    /** Threads all named exactly {@code bizmetrics-<purpose>}, for a kind of work that has one thread. */
    public static DaemonThreads single(String purpose) {
        return new DaemonThreads("bizmetrics-" + purpose, false);
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, numbered ? prefix + count.incrementAndGet() : prefix);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler(new Thread.UncaughtExceptionHandler() {
            @Override
            public void uncaughtException(Thread t, Throwable e) {
                Log.error("unexpected error on " + t.getName(), e);
            }
        });
        return thread;
    }
}
