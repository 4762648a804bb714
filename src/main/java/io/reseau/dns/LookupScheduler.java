package io.reseau.dns;

import java.util.concurrent.RejectedExecutionException;

/**
 * Where and when a resolver's lookups run, and the clock they are timed by: platform threads and
 * real time ({@link LookupThreads}), or a test's own hand.
 */
interface LookupScheduler {
    /** The time now, in nanoseconds of an arbitrary origin. */
    long nanoTime();

    /**
     * Runs {@code task} at {@link #nanoTime()} {@code atNanos} or soon after, on a thread where it
     * may block (never the caller's unless that time has come and the scheduler is a test's).
     *
     * @throws RejectedExecutionException once shut down
     */
    void schedule(Runnable task, long atNanos);

    /** Refuses new tasks and drops those not yet due; tasks running finish. */
    void shutdown();
}
