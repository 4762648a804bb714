package io.reseau.socket;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.reseau.common.IoError;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import io.reseau.internal.ffi.Errno;
import io.reseau.internal.ffi.SocketAddresses;
import io.reseau.internal.ffi.SocketCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

/**
 * A listening socket's accepting: at each readable edge it takes every connection in the kernel's
 * backlog to the listener, and after a failed {@code accept4} it tries again by itself. The
 * listener is edge-triggered: the connections a failed accept left in the backlog raise no new
 * edge, so unless it tries again they wait for ever, and once the backlog is full so does every
 * new client. The usual cause, exhausted descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM),
 * lasts until connections close, so trying again at once would spin: the first retry waits 10 ms,
 * each failure doubles the wait, up to 1 s. Loop thread only, but for {@link #listener()}.
 */
final class Acceptor {
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

    private final Socket listening;
    private volatile AcceptListener listener; // null: not accepting
    private final Task retry;
    private long delayNanos;
    private int failures; // since accepting last worked

    Acceptor(Socket listening) {
        this.listening = listening;
        this.retry = new Task("socket-accept-retry", status -> {
            if (status == TaskStatus.RUN_READY) {
                drainBacklog();
            }
        });
    }

    /** Where accepted connections go; null when not accepting. From any thread. */
    AcceptListener listener() {
        return listener;
    }

    void start(AcceptListener to) {
        listener = to;
    }

    /** @param loopAlive false when the loop was destroyed: its tasks are gone */
    void stop(EventLoop loop, boolean loopAlive) {
        listener = null;
        if (loopAlive && retry.isScheduled()) {
            loop.cancel(retry);
        }
    }

    /** The listening socket turned readable: connections are waiting, unless a retry waits to drain them. */
    void onReadable() {
        if (!retry.isScheduled()) {
            drainBacklog();
        }
    }

    /**
     * Accepts until the backlog is empty. Any failure but a connection gone before its turn is
     * reported and retried later: the connections still queued would raise no new edge.
     */
    private void drainBacklog() {
        SocketOptions options = listening.options();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SocketAddresses.SOCKADDR_STORAGE);
            MemorySegment length = arena.allocate(JAVA_INT);
            AcceptListener to;
            while ((to = listener) != null && listening.isOpen()) {
                length.set(JAVA_INT, 0, (int) address.byteSize());
                int accepted = SocketCalls.accept4(listening.fd(), address, length,
                        SocketCalls.SOCK_NONBLOCK | SocketCalls.SOCK_CLOEXEC);
                if (accepted == -Errno.EAGAIN) {
                    succeeded();
                    return;
                }
                if (accepted == -Errno.ECONNABORTED || accepted == -Errno.EINTR) {
                    continue; // that connection is gone; the next may be there
                }
                if (accepted < 0) {
                    failed(-accepted); // first: the listener may stop accepting, cancelling the retry
                    to.onAcceptResult(listening, null, IoError.fromErrno(-accepted));
                    return;
                }
                succeeded();
                SocketAddress peer = options.domain() == SocketDomain.LOCAL
                        ? listening.localAddress() : SocketAddresses.read(address, length.get(JAVA_INT, 0));
                to.onAcceptResult(listening, Socket.accepted(options, accepted, peer), null);
            }
        }
    }

    /** Accept failed with {@code errno}: tries again after the back-off, with one warning per run of failures. */
    private void failed(int errno) {
        delayNanos = failures == 0 ? FIRST_DELAY_NANOS : Math.min(2 * delayNanos, MAX_DELAY_NANOS);
        if (failures++ == 0) {
            LOG.log(System.Logger.Level.WARNING, "accept on " + listening.localAddress() + " failed with "
                    + Errno.name(errno) + " (" + IoError.fromErrno(errno).description() + "); retrying from "
                    + TimeUnit.NANOSECONDS.toMillis(FIRST_DELAY_NANOS) + " ms, backing off to "
                    + TimeUnit.NANOSECONDS.toMillis(MAX_DELAY_NANOS) + " ms, until it works again");
        }
        EventLoop loop = listening.eventLoop();
        loop.scheduleFuture(retry, loop.currentTimeNanos() + delayNanos);
    }

    /** An accept worked, or found the backlog empty: the next failure starts a new run. */
    private void succeeded() {
        if (failures > 0) {
            LOG.log(System.Logger.Level.INFO, "accepting on " + listening.localAddress() + " again after "
                    + failures + " failed attempts");
            failures = 0;
        }
    }
}
