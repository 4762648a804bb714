package io.reseau.net.ssl;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When an engine gives s2n's record buffers back: at once when it goes quiet (a call took all it
 * was given, and no buffers were given back in the last {@value #QUIET_MILLIS} ms), else once it
 * has been quiet that long. An engine carrying steady traffic, a small message each way every few
 * microseconds, would otherwise free both buffers at every call and allocate them again at the
 * next, with s2n wiping each; its buffers go back instead once its traffic stops, looked at by
 * the JDK's delay scheduler (no thread of Reseau's) {@value #QUIET_MILLIS} ms after the call, then
 * less often while the traffic goes on, down to once a second, so that many busy engines do not
 * keep the scheduler busy.
 */
final class BufferRelease {
    private static final long QUIET_MILLIS = 10;
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
    private static final long LONGEST_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Runnable releaseIfFree; // takes the engine's sides if free; gives the buffers back if it may
    private final AtomicBoolean checkPending = new AtomicBoolean();
    private volatile long lastQuietCall;
    private volatile long lastRelease;
    private long checkNanos; // the wait before the pending check; only the one that set checkPending uses it

    /** @param releaseIfFree run on the scheduler's thread: the engine's release, if nothing holds it */
    BufferRelease(Runnable releaseIfFree) {
        this.releaseIfFree = releaseIfFree;
        this.lastRelease = System.nanoTime() - QUIET_NANOS;
    }

    /**
     * A call took all it was given: whether to give the buffers back now. If not, a later check
     * does once the engine has been quiet long enough.
     */
    boolean releaseNow() {
        long now = System.nanoTime();
        lastQuietCall = now;
        if (now - lastRelease >= QUIET_NANOS) {
            lastRelease = now;
            return true;
        }
        if (checkPending.compareAndSet(false, true)) {
            checkNanos = QUIET_NANOS;
            checkAfter(checkNanos);
        }
        return false;
    }

    private void checkAfter(long nanos) {
        CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS, Runnable::run).execute(this::check);
    }

    private void check() {
        long quietFor = System.nanoTime() - lastQuietCall;
        if (quietFor < QUIET_NANOS) {
            checkNanos = Math.min(2 * checkNanos, LONGEST_CHECK_NANOS); // traffic goes on
            checkAfter(checkNanos);
            return;
        }
        checkPending.set(false);
        lastRelease = System.nanoTime();
        releaseIfFree.run();
    }
}
