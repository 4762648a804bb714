package io.reseau.pipe;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a pipe end used by blocking calls shares between its caller, its closer, its loop and the
 * other end: the caller makes its non-blocking system calls itself, under {@link #lock}, and parks
 * when the pipe is empty (or full) until an event of the end is counted.
 *
 * <p>Both ends of a blocking pipe are in this process, so whatever the caller waits for is done by
 * the other end's caller, which counts it here at once ({@link #wakePeer}): a writer that put bytes
 * in wakes a waiting reader itself, a reader that made room wakes a waiting writer. The loop, which
 * hears the same from the kernel a moment later, counts it too. Going through the loop alone takes
 * two thread wake-ups per hand-over (the loop's, then the caller's), as the JDK's pipes take through
 * its poller; told directly, one.
 *
 * <p>The caller reads the count before its system call and parks only if it has not moved; whoever
 * counts then unparks whoever is parked. Each side writes its variable and then reads the other's,
 * so either the caller tries again or it is woken.
 *
 * <p>Interrupts follow Reseau's blocking sockets: a virtual thread interrupted while it would wait
 * closes the end and gets {@link ClosedByInterruptException}, its interrupt status kept; a platform
 * thread keeps waiting and has its status back when its call ends (not between two waits: setting
 * it again unparks the thread, whose next wait would then return at once, again and again). A close from another thread fails a
 * waiting call with {@link AsynchronousCloseException}; a call on a closed end fails with
 * {@link ClosedChannelException}: the exceptions of the JDK's pipe streams.
 */
final class BlockingEnd {
    private static final VarHandle EVENTS;

    static {
        try {
            EVENTS = MethodHandles.lookup().findVarHandle(BlockingEnd.class, "events", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Held for each system call on the descriptor and to close it: a close never runs under a call. */
    final ReentrantLock lock = new ReentrantLock();
    // Held by the caller for a whole read (or write), waits included: one caller at a time.
    private final ReentrantLock callerLock = new ReentrantLock();
    private boolean interruptHeld; // guarded by callerLock: a platform caller's, until its call ends

    private final Runnable closer; // closes the end on its loop
    private boolean closed; // guarded by lock
    @SuppressWarnings("unused") // accessed through EVENTS, by the loop and the peer
    private volatile long events;
    private volatile Thread parked;
    private BlockingEnd peer; // the pipe's other end, set before either is used

    BlockingEnd(Runnable closer) {
        this.closer = closer;
    }

    /** Starts a caller's read (or write): one at a time, the next waiting its turn. */
    void beginCall() {
        callerLock.lock();
    }

    /** Ends the call {@link #beginCall} started; a platform caller interrupted while waiting gets its status back. */
    void endCall() {
        try {
            if (interruptHeld) {
                interruptHeld = false;
                Thread.currentThread().interrupt();
            }
        } finally {
            callerLock.unlock();
        }
    }

    /** Read before a system call, handed to {@link #await} if the call found nothing to do. */
    long events() {
        return events;
    }

    /**
     * Under {@link #lock}: fails when the end is closed. {@code waited}: the call already waited,
     * so the close came from another thread during it.
     */
    void ensureOpen(boolean waited) throws ClosedChannelException {
        if (closed) {
            throw waited ? new AsynchronousCloseException() : new ClosedChannelException();
        }
    }

    /**
     * Parks (no lock held) until the loop reports an event after {@code seen}, the end is closed,
     * or {@code deadlineNanos} (0: none) has passed; the caller then tries again.
     *
     * @return false once the deadline has passed
     */
    boolean await(long seen, long deadlineNanos) throws IOException {
        Thread thread = Thread.currentThread();
        boolean virtual = thread.isVirtual();
        if (virtual && thread.isInterrupted()) {
            throw closedByInterrupt();
        }
        holdPlatformInterrupt(virtual); // a platform thread is not stopped by it, and parks with it cleared
        parked = thread;
        try {
            if (events == seen && isOpen()) {
                if (deadlineNanos == 0) {
                    LockSupport.park(this);
                } else {
                    long remaining = deadlineNanos - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, remaining);
                }
            }
            if (virtual && thread.isInterrupted()) {
                throw closedByInterrupt();
            }
            holdPlatformInterrupt(virtual);
            return deadlineNanos == 0 || deadlineNanos - System.nanoTime() > 0 || events != seen;
        } finally {
            parked = null;
        }
    }

    private void holdPlatformInterrupt(boolean virtual) {
        if (!virtual && Thread.interrupted()) {
            interruptHeld = true;
        }
    }

    /** The other end of the same pipe, told directly when this one changes what it waits for. */
    void pairWith(BlockingEnd other) {
        peer = other;
    }

    /** An event of the end (bytes or room, the other end closed): wake the caller waiting for it. */
    void onEvent() {
        EVENTS.getAndAdd(this, 1L);
        wake();
    }

    /**
     * This end's call changed what the other end waits for (bytes written, room made): wake its
     * caller at once rather than through the loops, which hear of it from the kernel afterwards.
     */
    void wakePeer() {
        peer.onEvent();
    }

    /**
     * Marks the end closed, wakes a waiting caller, and closes the end on its loop, waiting for it.
     * Idempotent.
     */
    void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        wake();
        closer.run();
        peer.onEvent(); // its caller now finds the end of the stream, or a broken pipe
    }

    private boolean isOpen() {
        lock.lock();
        try {
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    private void wake() {
        Thread waiting = parked;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    private ClosedByInterruptException closedByInterrupt() {
        close();
        return new ClosedByInterruptException();
    }
}
