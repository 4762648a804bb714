package io.reseau.eventloop;

import io.reseau.common.NanoClock;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link EventLoopGroup} is built.
 *
 * @param loopCount number of loops (threads); 0 means half the available processors, at least 1
 *     (aws-c-io's default: a loop per physical core, ignoring hyper-threads)
 * @param threadNamePrefix loop threads are named {@code prefix + index} (from 1)
 * @param clock the loops' clock
 * @param onShutdownComplete runs once every loop is destroyed, on the group's cleanup thread; may be null
 * @param spin how long an idle loop polls before blocking (see {@link EpollEventLoop}); zero never spins
 */
public record EventLoopGroupOptions(int loopCount, String threadNamePrefix, NanoClock clock, Runnable onShutdownComplete,
        Duration spin) {
    public EventLoopGroupOptions {
        if (loopCount < 0) {
            throw new IllegalArgumentException("loopCount must be >= 0 (0 = default), got " + loopCount);
        }
        Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(spin, "spin");
        if (spin.isNegative()) {
            throw new IllegalArgumentException("spin cannot be negative: " + spin);
        }
    }

    /** The defaults: {@link #defaultLoopCount()} loops named {@code reseau-event-loop-<group>-<i>}. */
    public static EventLoopGroupOptions defaults() {
        return withLoopCount(0);
    }

    public static EventLoopGroupOptions withLoopCount(int loopCount) {
        return new EventLoopGroupOptions(loopCount, EventLoopGroup.nextDefaultPrefix(), NanoClock.SYSTEM, null,
                EpollEventLoop.DEFAULT_SPIN);
    }

    public EventLoopGroupOptions onShutdownComplete(Runnable callback) {
        return new EventLoopGroupOptions(loopCount, threadNamePrefix, clock, callback, spin);
    }

    public EventLoopGroupOptions threadNamePrefix(String prefix) {
        return new EventLoopGroupOptions(loopCount, prefix, clock, onShutdownComplete, spin);
    }

    public EventLoopGroupOptions clock(NanoClock newClock) {
        return new EventLoopGroupOptions(loopCount, threadNamePrefix, newClock, onShutdownComplete, spin);
    }

    public EventLoopGroupOptions spin(Duration newSpin) {
        return new EventLoopGroupOptions(loopCount, threadNamePrefix, clock, onShutdownComplete, newSpin);
    }

    /** Half the available processors, at least 1. */
    public static int defaultLoopCount() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
}
