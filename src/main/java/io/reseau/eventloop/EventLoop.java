package io.reseau.eventloop;

import io.reseau.common.IoErrorException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A single thread that runs {@link Task}s and delivers I/O events (aws-c-io's
 * {@code aws_event_loop}). Everything that belongs to a loop (a socket, a channel, a TLS
 * connection) is touched only on the loop's thread. {@link EpollEventLoop} is the Linux
 * implementation; tests may drive channels on a deterministic one.
 */
public interface EventLoop extends Executor {

    String name();

    /** The loop's clock, in nanoseconds; {@link #scheduleFuture} times are on it. */
    long currentTimeNanos();

    boolean isOnLoopThread();

    /**
     * Runs the task as soon as possible. From the loop's own thread the task goes straight into its
     * scheduler, so it may run before tasks other threads queued earlier.
     */
    void scheduleNow(Task task);

    /** Runs the task after every task scheduled before it through this method, from any thread. */
    void scheduleNowSerialized(Task task);

    /** Runs the task at {@code timeNanos} on this loop's clock. */
    void scheduleFuture(Task task, long timeNanos);

    /**
     * Cancels a task: it runs at once with {@link TaskStatus#CANCELED} and not again, also when it was
     * never scheduled. Loop thread only.
     */
    void cancel(Task task);

    /**
     * Delivers the handle's events to {@code listener} on this loop's thread, edge-triggered. May be
     * called from any thread.
     *
     * @param events {@link IoEvents#READABLE} and/or {@link IoEvents#WRITABLE}
     * @throws IllegalStateException if the handle is already subscribed
     * @throws IoErrorException if the operating system refuses the descriptor
     */
    void subscribe(IoHandle handle, int events, IoEventListener listener) throws IoErrorException;

    /**
     * Changes which events a subscribed handle receives, keeping its listener; an event already
     * pending is reported again. Loop thread only. (A Reseau addition: aws-c-io subscribes to
     * writability for good, which on some kernels wakes the loop at every acknowledgement.)
     *
     * @param events {@link IoEvents#READABLE} and/or {@link IoEvents#WRITABLE}
     */
    void modifySubscription(IoHandle handle, int events) throws IoErrorException;

    /**
     * Stops event delivery for the handle: no event reaches its listener after this returns. Loop
     * thread only.
     */
    void unsubscribe(IoHandle handle) throws IoErrorException;

    /** The loop's value of {@code local}, created on first use. Loop thread only. */
    <T> T local(EventLoopLocal<T> local);

    /** Nanoseconds of work in the last second; what {@link EventLoopGroup#nextLoop()} compares. */
    long loadFactor();

    /**
     * Runs {@code command} on the loop, in submission order (as {@link #scheduleNowSerialized}). A
     * command still pending when the loop is destroyed does not run.
     *
     * @throws RejectedExecutionException if the loop no longer takes work
     */
    @Override
    void execute(Runnable command);
}
