package io.reseau.net;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How a blocking call waits, with java.net.Socket's interrupt rules: a virtual thread that is
 * interrupted (before or while waiting) gives up with {@link InterruptedIOException}, its interrupt
 * status kept, and java.net.Socket then closes the socket; a platform thread keeps waiting and gets
 * its interrupt status back afterwards.
 */
final class Blocking {
    private Blocking() {}

    /**
     * Waits on {@code condition} (its lock held) until signalled, spuriously woken, or
     * {@code deadlineNanos} (a {@link System#nanoTime()} instant; 0 for none) has passed.
     *
     * @return false once the deadline has passed
     */
    static boolean await(Condition condition, long deadlineNanos) throws InterruptedIOException {
        Thread thread = Thread.currentThread();
        if (thread.isVirtual() && thread.isInterrupted()) {
            throw new InterruptedIOException();
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (deadlineNanos == 0) {
                        condition.await();
                        return true;
                    }
                    long remaining = deadlineNanos - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    boolean signalled = condition.await(remaining, TimeUnit.NANOSECONDS);
                    return signalled || deadlineNanos - System.nanoTime() > 0;
                } catch (InterruptedException e) {
                    if (thread.isVirtual()) {
                        thread.interrupt();
                        throw new InterruptedIOException();
                    }
                    interrupted = true; // a platform thread is not aborted by an interrupt: wait on
                }
            }
        } finally {
            if (interrupted) {
                thread.interrupt();
            }
        }
    }

    /**
     * Parks (holding no lock) until unparked, spuriously woken, or {@code deadlineNanos} (0 for
     * none) has passed; the caller checks again what it waits for. A platform thread must have taken
     * its interrupt status first ({@link #takePlatformInterrupt()}), so that an interrupt neither
     * aborts nor busies it: a park with the status set returns at once.
     *
     * @return false once the deadline has passed
     */
    static boolean park(Object blocker, long deadlineNanos) throws InterruptedIOException {
        Thread thread = Thread.currentThread();
        boolean virtual = thread.isVirtual();
        if (virtual && thread.isInterrupted()) {
            throw new InterruptedIOException();
        }
        if (deadlineNanos == 0) {
            LockSupport.park(blocker);
        } else {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            LockSupport.parkNanos(blocker, remaining);
        }
        if (virtual && thread.isInterrupted()) {
            throw new InterruptedIOException();
        }
        return deadlineNanos == 0 || deadlineNanos - System.nanoTime() > 0;
    }

    /**
     * Clears a platform thread's interrupt status before it parks, and says whether it was set; the
     * caller holds it until its call ends and then gives it back ({@link #giveBackInterrupt}). Given
     * back between two parks, it would wake the second at once (interrupting a thread also unparks
     * it), and the caller would spin instead of waiting. A virtual thread's status stays: it ends
     * the wait.
     */
    static boolean takePlatformInterrupt() {
        return !Thread.currentThread().isVirtual() && Thread.interrupted();
    }

    /** Sets the caller's interrupt status again if {@code held}, once its call is over. */
    static void giveBackInterrupt(boolean held) {
        if (held) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes {@code lock}, waiting until {@code deadlineNanos} (0 for none), as the JDK's sockets
     * take their read and write locks: an interrupt does not stop the wait (the call that follows
     * acts on it), and is kept.
     *
     * @return false once the deadline has passed without the lock
     */
    static boolean lock(ReentrantLock lock, long deadlineNanos) {
        if (deadlineNanos == 0) {
            lock.lock();
            return true;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return lock.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The instant {@code millis} from now, or 0 (no deadline) when {@code millis} is 0. */
    static long deadline(int millis) {
        return millis == 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
