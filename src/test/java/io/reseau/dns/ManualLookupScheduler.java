package io.reseau.dns;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * A resolver's time and threads in a test's hand: the clock moves only when the test advances it,
 * and lookups run on the test's thread, those due now at once, later ones as the clock reaches them.
 */
final class ManualLookupScheduler implements LookupScheduler {
    private record Due(long at, long order, Runnable task) {}

    private final PriorityQueue<Due> queue = new PriorityQueue<>((x, y) ->
            x.at() != y.at() ? Long.compare(x.at(), y.at()) : Long.compare(x.order(), y.order()));
    private long now;
    private long scheduled;
    private boolean shutDown;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void schedule(Runnable task, long atNanos) {
        if (shutDown) {
            throw new RejectedExecutionException("shut down");
        }
        if (atNanos <= now) {
            task.run();
        } else {
            queue.add(new Due(atNanos, scheduled++, task));
        }
    }

    @Override
    public void shutdown() {
        shutDown = true;
        queue.clear();
    }

    /** Moves the clock on by {@code step}, running each task that comes due on the way, at its time. */
    void advance(Duration step) {
        long end = now + step.toNanos();
        for (Due next = queue.peek(); next != null && next.at() <= end; next = queue.peek()) {
            queue.poll();
            now = next.at();
            next.task().run();
        }
        now = end;
    }

    /** Advances {@code steps} times by {@code step}, calling {@code between} before each step. */
    void advance(int steps, Duration step, Runnable between) {
        for (int i = 0; i < steps; i++) {
            between.run();
            advance(step);
        }
    }
}
