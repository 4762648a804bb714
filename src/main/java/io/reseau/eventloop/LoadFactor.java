package io.reseau.eventloop;

import io.reseau.common.NanoClock;

/**
 * An event loop's load, as aws-c-io measures it: the time spent inside ticks (processing events
 * and tasks, not waiting), summed per second and published once a second. A loop that has
 * published nothing for 10 seconds reads as idle (0), so a loop that went quiet after a burst is
 * chosen again.
 */
final class LoadFactor {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long STALE_AFTER_SECONDS = 10;

    private final NanoClock clock;
    private long tickStart;
    private long busySum;
    private volatile long published;
    private volatile long nextFlushSecond;

    LoadFactor(NanoClock clock) {
        this.clock = clock;
    }

    void tickStart() {
        tickStart = clock.nanoTime();
    }

    void tickEnd() {
        long end = clock.nanoTime();
        busySum += end - tickStart;
        long endSecond = end / NANOS_PER_SECOND;
        // aws-c-io compares with '>' against (last flush second + 1), which publishes only every
        // other second; '>=' gives the once-a-second figure it documents.
        if (endSecond >= nextFlushSecond) {
            published = busySum;
            busySum = 0;
            nextFlushSecond = endSecond + 1;
        }
    }

    /** Nanoseconds of work in the last published second; safe from any thread. */
    long get() {
        if (clock.nanoTime() / NANOS_PER_SECOND > nextFlushSecond + STALE_AFTER_SECONDS) {
            return 0;
        }
        return published;
    }
}
