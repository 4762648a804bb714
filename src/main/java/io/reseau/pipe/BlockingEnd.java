package io.reseau.pipe;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a pipe end used by blocking calls shares between its caller, its closer and its loop: the
 * caller makes its non-blocking system calls itself, under {@link #lock}, and parks when the pipe
 * is empty (or full) until the loop reports an event of the end.
 *
 * <p>The caller reads the count of events before its system call and parks only if it has not
 * moved; the loop counts, then unparks whoever is parked. Each side writes its variable and then
 * reads the other's, so either the caller tries again or the loop wakes it.
 *
 * <p>Interrupts follow Reseau's blocking sockets: a virtual thread interrupted while it would wait
 * closes the end and gets {@link ClosedByInterruptException}, its interrupt status kept; a platform
 * thread keeps waiting and has its status back afterwards. A close from another thread fails a
 * waiting call with {@link AsynchronousCloseException}; a call on a closed end fails with
 * {@link ClosedChannelException}: the exceptions of the JDK's pipe streams.
 */
final class BlockingEnd {
    /** Held for each system call on the descriptor and to close it: a close never runs under a call. */
    final ReentrantLock lock = new ReentrantLock();
    /** Held by the caller for a whole read (or write), waits included: one caller at a time. */
    final ReentrantLock callerLock = new ReentrantLock();

    private final Runnable closer; // closes the end on its loop
    private boolean closed; // guarded by lock
    private volatile long events; // written by the loop only
    private volatile Thread parked;

    BlockingEnd(Runnable closer) {
        this.closer = closer;
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
        boolean interrupted = !virtual && Thread.interrupted(); // a platform thread is not stopped by it
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
            return deadlineNanos == 0 || deadlineNanos - System.nanoTime() > 0 || events != seen;
        } finally {
            parked = null;
            if (interrupted || (!virtual && Thread.interrupted())) {
                thread.interrupt();
            }
        }
    }

    /** The loop reported an event of the end: wake the caller waiting for it. */
    void onEvent() {
        events = events + 1;
        wake();
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
