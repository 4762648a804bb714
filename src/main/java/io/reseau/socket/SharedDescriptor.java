package io.reseau.socket;

import io.reseau.internal.ffi.Libc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * A socket's descriptor as threads other than its loop's use it (the facade's direct sends and
 * receives): closing it never waits for them, yet never closes it under a call in progress. Whoever
 * is last out closes it, so a direct call never runs on a descriptor that was closed, and perhaps
 * reused by another socket, while it ran. A close that lingers runs on a {@link LingeringCloser}
 * thread, whoever is last out.
 */
final class SharedDescriptor {
    // The top bit of users: closing; the rest counts calls in progress.
    private static final int CLOSING = 1 << 30;
    private static final VarHandle USERS;
    private static final VarHandle WHEN_CLOSED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            USERS = lookup.findVarHandle(SharedDescriptor.class, "users", int.class);
            WHEN_CLOSED = lookup.findVarHandle(SharedDescriptor.class, "whenClosed", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int fd;
    @SuppressWarnings("unused") // accessed through USERS
    private volatile int users;
    private volatile boolean lingering; // written by close, before CLOSING is set
    // Made on demand (few ask): completed once close(2) has returned. `closed` is written before
    // whenClosed is read, and the other way round in whenClosed(): one side sees the other.
    private volatile boolean closed;
    @SuppressWarnings("unused") // accessed through WHEN_CLOSED
    private volatile CompletableFuture<Void> whenClosed;

    SharedDescriptor(int fd) {
        this.fd = fd;
    }

    /** Starts a call on the descriptor; false once it is closing (then the caller must not use it). */
    boolean enter() {
        int current;
        do {
            current = users;
            if ((current & CLOSING) != 0) {
                return false;
            }
        } while (!USERS.compareAndSet(this, current, current + 1));
        return true;
    }

    /** Ends a call {@link #enter} started; the last one out of a closing descriptor closes it. */
    void exit() {
        if ((int) USERS.getAndAdd(this, -1) - 1 == CLOSING) {
            closeDescriptor();
        }
    }

    /**
     * Closes the descriptor now, or leaves it to the last call in progress. Once. {@code lingers}:
     * close(2) may block (SO_LINGER above 0), so it runs on a closer thread.
     */
    void close(boolean lingers) {
        lingering = lingers;
        if ((int) USERS.getAndBitwiseOr(this, CLOSING) == 0) {
            closeDescriptor();
        }
    }

    /** Completes once close(2) has returned. From any thread, before or after the close. */
    @SuppressWarnings("unchecked")
    CompletableFuture<Void> whenClosed() {
        CompletableFuture<Void> current = (CompletableFuture<Void>) WHEN_CLOSED.getVolatile(this);
        if (current == null) {
            CompletableFuture<Void> made = new CompletableFuture<>();
            current = (CompletableFuture<Void>) WHEN_CLOSED.compareAndExchange(this, null, made);
            if (current == null) {
                current = made;
            }
        }
        if (closed) {
            current.complete(null);
        }
        return current;
    }

    private void closeDescriptor() {
        if (lingering) {
            LingeringCloser.close(fd, this::onClosed);
        } else {
            Libc.close(fd);
            onClosed();
        }
    }

    @SuppressWarnings("unchecked")
    private void onClosed() {
        closed = true;
        CompletableFuture<Void> waiting = (CompletableFuture<Void>) WHEN_CLOSED.getVolatile(this);
        if (waiting != null) {
            waiting.complete(null);
        }
    }
}
