package dev.bizmetrics.agent.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HostStartupTest {

    /** The class count the host reaches at each window, as the waiting sees it: one value per look. */
    private static long waitedFor(Integer... counts) {
        final Iterator<Integer> next = Arrays.asList(counts).iterator();
        return HostStartup.awaitSettled(new HostStartup.ClassCount() {
            @Override
            public int loaded() {
                return next.next();
            }
        }, new HostStartup.Sleeper() {
            @Override
            public void sleep(long millis) {
                assertThat(millis).isEqualTo(HostStartup.WINDOW_MILLIS);
            }
        });
    }

    @Test
    void aSettledHostIsWaitedForOneWindow() {
        assertThat(waitedFor(3000, 3002)).isEqualTo(HostStartup.WINDOW_MILLIS);
    }

    @Test
    void theWaitLastsWhileClassesLoadQuickly() {
        assertThat(waitedFor(500, 900, 1400, 1600, 1615)).isEqualTo(4 * HostStartup.WINDOW_MILLIS);
    }

    @Test
    void aHostThatNeverSettlesIsWaitedForAtMostTheLimit() {
        List<Integer> counts = new ArrayList<Integer>();
        for (int i = 0; i < 1000; i++) {
            counts.add(i * 100);
        }
        assertThat(waitedFor(counts.toArray(new Integer[0]))).isEqualTo(HostStartup.MAX_WAIT_MILLIS);
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() {
        long waited = HostStartup.awaitSettled(new HostStartup.ClassCount() {
            @Override
            public int loaded() {
                return 0;
            }
        }, new HostStartup.Sleeper() {
            @Override
            public void sleep(long millis) throws InterruptedException {
                throw new InterruptedException();
            }
        });
        assertThat(waited).isZero();
        assertThat(Thread.interrupted()).isTrue();
    }
}
