package io.reseau.socket;

import io.reseau.common.IoError;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskFunction;
import io.reseau.internal.ffi.Errno;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

/**
 * A listening socket's next attempt after a failed accept. The listener is edge-triggered: the
 * connections a failed {@code accept4} left in the kernel's backlog raise no new edge, so unless
 * the listener tries again by itself they wait for ever, and once the backlog is full so does
 * every new client. The usual cause, exhausted descriptors or memory (EMFILE, ENFILE, ENOBUFS,
 * ENOMEM), lasts until connections close, so trying again at once would spin: the first retry
 * waits 10 ms, each failure doubles the wait, up to 1 s. Loop thread only.
 */
final class AcceptRetry {
    /** A closing connection frees its descriptor within milliseconds; a failed retry costs one system call. */
    static final long FIRST_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * The longest a queued client waits after descriptors are free again: below the 1 s after which
     * TCP resends a dropped SYN, and one failed system call a second while the shortage lasts.
     */
    static final long MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final System.Logger LOG = System.getLogger(Socket.class.getName());

    static {
        // The JDK's logging stamps each record with the local time, reading the time-zone database
        // (lib/tzdb.dat) the first time: read it now, or the warning that descriptors ran out would
        // need one, and failing to get it throws an Error out of the event loop.
        ZoneId.systemDefault().getRules();
    }

    private final Task task;
    private long delayNanos;
    private int failures; // since accepting last worked

    AcceptRetry(TaskFunction retry) {
        task = new Task("socket-accept-retry", retry);
    }

    /** Whether a retry is waiting: until it runs it drains the backlog, not the readable events. */
    boolean isWaiting() {
        return task.isScheduled();
    }

    /** Accept failed with {@code errno}: tries again after the back-off, with one warning per run of failures. */
    void failed(EventLoop loop, int errno, Socket listener) {
        delayNanos = failures == 0 ? FIRST_DELAY_NANOS : Math.min(2 * delayNanos, MAX_DELAY_NANOS);
        if (failures++ == 0) {
            LOG.log(System.Logger.Level.WARNING, "accept on " + listener.localAddress() + " failed with "
                    + Errno.name(errno) + " (" + IoError.fromErrno(errno).description() + "); retrying from "
                    + TimeUnit.NANOSECONDS.toMillis(FIRST_DELAY_NANOS) + " ms, backing off to "
                    + TimeUnit.NANOSECONDS.toMillis(MAX_DELAY_NANOS) + " ms, until it works again");
        }
        loop.scheduleFuture(task, loop.currentTimeNanos() + delayNanos);
    }

    /** An accept worked, or found the backlog empty: the next failure starts a new run. */
    void succeeded(Socket listener) {
        if (failures > 0) {
            LOG.log(System.Logger.Level.INFO, "accepting on " + listener.localAddress() + " again after "
                    + failures + " failed attempts");
            failures = 0;
        }
    }

    void cancel(EventLoop loop) {
        if (task.isScheduled()) {
            loop.cancel(task);
        }
    }
}
