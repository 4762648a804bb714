package io.reseau.testing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Waits until threads started on a blocking call are inside it: parked, waiting or blocked on a
 * lock, which is all a test can see of "blocked in read()" from outside. A thread also waits for
 * an instant on its way in (a lock on the way, a class being loaded), so a state counts only when
 * two observations in a row, {@link Polling#INTERVAL} apart, both find every thread waiting.
 */
public final class WaitingThreads {
    /** A hundred callers reaching their call on a loaded machine take a while. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private WaitingThreads() {}

    public static void await(Thread thread) throws InterruptedException {
        awaitAll(List.of(thread));
    }

    public static void awaitAll(Collection<Thread> threads) throws InterruptedException {
        int[] waitingLooks = {0};
        try {
            Polling.await(() -> {
                waitingLooks[0] = threads.stream().allMatch(WaitingThreads::waiting) ? waitingLooks[0] + 1 : 0;
                return waitingLooks[0] >= 2;
            }, TIMEOUT, "all " + threads.size() + " threads waiting, twice in a row");
        } catch (AssertionError notAllWaiting) {
            throw new AssertionError(notAllWaiting.getMessage() + "; those not waiting:" + describeRunning(threads));
        }
    }

    /** Where each thread that is not waiting is: what a failure needs to say to be diagnosed. */
    private static String describeRunning(Collection<Thread> threads) {
        StringBuilder text = new StringBuilder();
        for (Thread thread : threads) {
            if (!waiting(thread)) {
                text.append("\n  ").append(thread).append(' ').append(thread.getState());
                for (StackTraceElement frame : thread.getStackTrace()) {
                    text.append("\n    at ").append(frame);
                }
            }
        }
        return text.toString();
    }

    private static boolean waiting(Thread thread) {
        return switch (thread.getState()) {
            case WAITING, TIMED_WAITING, BLOCKED -> true;
            default -> false;
        };
    }
}
