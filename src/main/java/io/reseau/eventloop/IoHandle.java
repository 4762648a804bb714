package io.reseau.eventloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A file descriptor as an event loop sees it (aws-c-io's {@code aws_io_handle}). The handle does
 * not own the descriptor: whoever opened it closes it, after unsubscribing.
 */
public final class IoHandle {
    private static final VarHandle SUBSCRIPTION;

    static {
        try {
            SUBSCRIPTION = MethodHandles.lookup().findVarHandle(IoHandle.class, "subscription", Subscription.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int fd;
    private volatile Subscription subscription;

    public IoHandle(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        this.fd = fd;
    }

    public int fd() {
        return fd;
    }

    public boolean isSubscribed() {
        return subscription != null;
    }

    Subscription subscription() {
        return subscription;
    }

    boolean attach(Subscription s) {
        return SUBSCRIPTION.compareAndSet(this, (Subscription) null, s);
    }

    void detach(Subscription s) {
        SUBSCRIPTION.compareAndSet(this, s, (Subscription) null);
    }

    @Override
    public String toString() {
        return "IoHandle[fd=" + fd + "]";
    }
}
