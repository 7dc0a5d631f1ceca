package dev.bizmetrics.agent.runtime;

/**
 * Waits for the host's own start-up to settle before the agent does its start-up work (configuration, HTTP server,
 * first queries). A JVM starting up loads thousands of classes in a second or two, on every core it has; work of ours
 * in that window is taken from the host's time to ready (measured: about 50 ms on two cores, bench/README.md). Once
 * fewer than {@value #SETTLED_BELOW} classes load in {@value #WINDOW_MILLIS} ms, or after {@value #MAX_WAIT_MILLIS}
 * ms at most, the agent goes on. After a dynamic attach the host is settled already: the wait is one window.
 */
public final class HostStartup {

    static final long WINDOW_MILLIS = 200;
    static final int SETTLED_BELOW = 20;
    static final long MAX_WAIT_MILLIS = 10000;

    /** How many classes the JVM has loaded so far; any count that grows with class loading will do. */
    public interface ClassCount {
        int loaded();
    }

    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private static final Sleeper THREAD_SLEEP = new Sleeper() {
        @Override
        public void sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
        }
    };

    private HostStartup() {
    }

    /** @return how long it waited, in milliseconds */
    public static long awaitSettled(ClassCount classes) {
        return awaitSettled(classes, THREAD_SLEEP);
    }

    static long awaitSettled(ClassCount classes, Sleeper sleeper) {
        long waited = 0;
        int before = classes.loaded();
        try {
            while (waited < MAX_WAIT_MILLIS) {
                sleeper.sleep(WINDOW_MILLIS);
                waited += WINDOW_MILLIS;
                int now = classes.loaded();
                if (now - before < SETTLED_BELOW) {
                    break;
                }
                before = now;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return waited;
    }
}
