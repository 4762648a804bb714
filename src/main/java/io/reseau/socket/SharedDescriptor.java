package io.reseau.socket;

import io.reseau.internal.ffi.Libc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A socket's descriptor as threads other than its loop's use it (the facade's direct sends and
 * receives): closing it never waits for them, yet never closes it under a call in progress. Whoever
 * is last out closes it, so a direct call never runs on a descriptor that was closed, and perhaps
 * reused by another socket, while it ran.
 */
final class SharedDescriptor {
    // The top bit of users: closing; the rest counts calls in progress.
    private static final int CLOSING = 1 << 30;
    private static final VarHandle USERS;

    static {
        try {
            USERS = MethodHandles.lookup().findVarHandle(SharedDescriptor.class, "users", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int fd;
    @SuppressWarnings("unused") // accessed through USERS
    private volatile int users;

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
            Libc.close(fd);
        }
    }

    /** Closes the descriptor now, or leaves it to the last call in progress. Once. */
    void close() {
        if ((int) USERS.getAndBitwiseOr(this, CLOSING) == 0) {
            Libc.close(fd);
        }
    }
}
