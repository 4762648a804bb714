package io.reseau.dns;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few platform threads for lookups, on real time: a lookup blocks in native code, which must
 * never happen on an event loop or a virtual thread. Timed refreshes wait in the same pool, so a
 * resolver needs no thread per host and none of its own for timers. Threads that stay idle for
 * {@link #IDLE_SECONDS} end: an idle resolver holds none.
 */
final class LookupThreads implements LookupScheduler {
    static final long IDLE_SECONDS = 30;
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();

    private final ScheduledThreadPoolExecutor executor;

    LookupThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a resolver needs at least one thread, got " + threads);
        }
        executor = new ScheduledThreadPoolExecutor(threads,
                task -> Thread.ofPlatform().daemon(true).name("reseau-dns-" + THREAD_NUMBERS.incrementAndGet()).unstarted(task));
        executor.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void schedule(Runnable task, long atNanos) {
        executor.schedule(task, atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} as soon as a thread is free. */
    void execute(Runnable task) {
        executor.execute(task);
    }

    @Override
    public void shutdown() {
        executor.shutdown();
    }
}
