package io.reseau.future;

import io.reseau.channel.Channel;
import io.reseau.channel.ChannelTask;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.Task;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The outcome of asynchronous work, a result or an {@link IoError} (aws-c-io's {@code aws_future}).
 * The work completes it once, from any thread; the caller hears of it through one callback, by
 * waiting, or through a {@link CompletableFuture}.
 *
 * <p>aws-c-io's rules:
 * <ul>
 * <li>The first completion wins; later ones are ignored, and a result they bring is released when
 * the future's result owns a resource ({@link #owning}).
 * <li>One callback at most: registering a second while the first still waits is refused. Once the
 * future is done it holds no callback, so one registered then runs (or is queued) at once.
 * <li>{@link #registerCallback(Runnable)} runs the callback on the thread that completes the
 * future, or at once on the caller's if it is already done; {@link #registerCallbackIfNotDone}
 * never runs it on the caller's; the event-loop and channel forms always deliver it as a task
 * there, even when the future is already done (aws-c-io's way of never recursing).
 * <li>{@link #error()} and {@link #result()} are read only once the future is done.
 * </ul>
 *
 * <p>Blocking waits ({@link #get()}, {@link #get(Duration)}, {@link #await}) park a virtual thread
 * and block a platform one, with the blocking sockets' interrupt rules: an interrupted virtual
 * thread (before or while waiting) gives up with {@link InterruptedIOException}, its interrupt
 * status kept; a platform thread waits on and has its interrupt status back afterwards.
 *
 * @param <T> the result's type; {@code IoFuture<Void>} for work with no result
 */
public final class IoFuture<T> {
    /** A wait without a deadline; any longer timeout is as good as none. */
    private static final long UNLIMITED = Long.MAX_VALUE;

    private final Consumer<? super T> release; // null when the result owns nothing
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition completed = lock.newCondition();
    private volatile boolean done;
    // Guarded by lock; error and cause are fixed once done is set.
    private T result;
    private IoError error;
    private Throwable cause;
    private boolean taken;
    private boolean released;
    private boolean abandoned;
    private Runnable delivery; // how the registered callback gets run; null once done
    private CompletableFuture<T> view;

    private IoFuture(Consumer<? super T> release) {
        this.release = release;
    }

    /** A future whose result owns nothing (a value, a shared object). */
    public static <T> IoFuture<T> create() {
        return new IoFuture<>(null);
    }

    /**
     * A future whose result owns a resource (aws-c-io's results "with destroy" or "with release"):
     * {@code release} is called on a result that loses to an earlier completion, and on the result
     * when the future is {@linkplain #abandon() abandoned} before anyone {@linkplain #takeResult()
     * took} it. Never with null.
     */
    public static <T> IoFuture<T> owning(Consumer<? super T> release) {
        return new IoFuture<>(Objects.requireNonNull(release, "release"));
    }

    /** A future already done with {@code result}. */
    public static <T> IoFuture<T> completed(T result) {
        IoFuture<T> future = create();
        future.setResult(result);
        return future;
    }

    /** A future already failed with {@code error}. */
    public static <T> IoFuture<T> failed(IoError error) {
        IoFuture<T> future = create();
        future.setError(error);
        return future;
    }

    /**
     * A future that completes as {@code stage} does, on the thread that completes it. A stage that
     * fails with an {@link IoErrorException} fails the future with its error; cancelled, with
     * {@link IoError#OPERATION_CANCELLED}; anything else, with {@link IoError#UNKNOWN}. The stage's
     * exception is the cause of what {@link #get()} throws.
     */
    public static <T> IoFuture<T> from(CompletionStage<? extends T> stage) {
        IoFuture<T> future = create();
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                future.setResult(value);
                return;
            }
            Throwable reason = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            IoError error = reason instanceof IoErrorException io ? io.error()
                    : reason instanceof CancellationException ? IoError.OPERATION_CANCELLED : IoError.UNKNOWN;
            future.setError(error, reason);
        });
        return future;
    }

    /**
     * Completes the future with {@code value}, unless it is already done: then the value is
     * released (for an {@linkplain #owning owning} future) and nothing else happens.
     *
     * @return whether this completion won
     */
    public boolean setResult(T value) {
        return complete(value, null, null);
    }

    /**
     * Fails the future with {@code error}, unless it is already done.
     *
     * @return whether this completion won
     */
    public boolean setError(IoError error) {
        return setError(error, null);
    }

    /**
     * Fails the future with {@code error}, and {@code cause} as the cause of what {@link #get()}
     * throws, unless it is already done.
     *
     * @return whether this completion won
     */
    public boolean setError(IoError error, Throwable cause) {
        return complete(null, Objects.requireNonNull(error, "error"), cause);
    }

    private boolean complete(T value, IoError failure, Throwable failureCause) {
        boolean won;
        boolean releaseValue;
        Runnable pending = null;
        CompletableFuture<T> mirror = null;
        lock.lock();
        try {
            won = !done;
            releaseValue = failure == null && (!won || (abandoned && release != null));
            if (won) {
                if (failure != null) {
                    error = failure;
                    cause = failureCause;
                } else if (releaseValue) {
                    released = true;
                } else {
                    result = value;
                }
                done = true;
                pending = delivery;
                delivery = null;
                mirror = view;
                completed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        // Outside the lock, so that a callback may use this future (or take another's lock) freely.
        if (releaseValue) {
            releaseResult(value);
        }
        if (mirror != null) {
            if (failure != null) {
                mirror.completeExceptionally(failure());
            } else if (releaseValue) {
                mirror.completeExceptionally(new IllegalStateException("the future's result was released"));
            } else {
                mirror.complete(value);
            }
        }
        if (pending != null) {
            pending.run();
        }
        return won;
    }

    private void releaseResult(T value) {
        if (release != null && value != null) {
            release.accept(value);
        }
    }

    public boolean isDone() {
        return done;
    }

    /**
     * The error the future failed with, or null if it has a result.
     *
     * @throws IllegalStateException if the future is not done
     */
    public IoError error() {
        requireDone();
        return error;
    }

    /**
     * The result, which stays the future's (an owning future still releases it when abandoned).
     *
     * @throws IllegalStateException if the future is not done, failed, or its result was taken or released
     */
    public T result() {
        lock.lock();
        try {
            requireResult();
            return result;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The result, which becomes the caller's: the future no longer releases it, and it cannot be
     * read again (aws-c-io's {@code get_result_by_move}).
     *
     * @throws IllegalStateException if the future is not done, failed, or its result was taken or released
     */
    public T takeResult() {
        lock.lock();
        try {
            requireResult();
            T value = result;
            result = null;
            taken = true;
            return value;
        } finally {
            lock.unlock();
        }
    }

    private void requireDone() {
        if (!done) {
            throw new IllegalStateException("the future is not done");
        }
    }

    private void requireResult() {
        requireDone();
        if (error != null) {
            throw new IllegalStateException("the future failed: " + error);
        }
        if (taken) {
            throw new IllegalStateException("the future's result was taken");
        }
        if (released) {
            throw new IllegalStateException("the future's result was released");
        }
    }

    /**
     * Gives the future up, as aws-c-io's last {@code release} does: a result it owns and nobody
     * took is released now, and one that comes later is released as it comes. Callbacks and
     * waiters still hear of the completion; the result itself must not be read any more. Does
     * nothing to a result that owns nothing.
     */
    public void abandon() {
        T toRelease = null;
        lock.lock();
        try {
            abandoned = true;
            if (done && error == null && !taken && !released && release != null) {
                toRelease = result;
                result = null;
                released = true;
            }
        } finally {
            lock.unlock();
        }
        releaseResult(toRelease);
    }

    // ---- callbacks ----

    /**
     * Runs {@code callback} once the future is done: on the thread that completes it, or at once
     * on this thread if it already is.
     *
     * @throws IllegalStateException if another callback waits for the completion
     */
    public void registerCallback(Runnable callback) {
        register(Objects.requireNonNull(callback, "callback"), true);
    }

    /**
     * Registers {@code callback} unless the future is already done; never runs it on this thread.
     * For a loop that calls asynchronous work again and again: it goes on looping while the work
     * completes at once and returns when a callback will resume it, instead of recursing.
     *
     * @return false if the future is already done (the callback is not registered)
     * @throws IllegalStateException if another callback waits for the completion
     */
    public boolean registerCallbackIfNotDone(Runnable callback) {
        return register(Objects.requireNonNull(callback, "callback"), false);
    }

    /**
     * Runs {@code callback} as a task on {@code loop} once the future is done, also when it already
     * is. The callback runs whatever the task's status: a loop that is destroyed first runs it as it
     * cancels its tasks.
     *
     * @throws IllegalStateException if another callback waits for the completion
     */
    public void registerCallback(EventLoop loop, Runnable callback) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(callback, "callback");
        register(() -> loop.scheduleNow(new Task("future-callback", status -> callback.run())), true);
    }

    /**
     * Runs {@code callback} as a task of {@code channel} once the future is done, also when it
     * already is. The callback runs whatever the task's status: a channel that shuts down first runs
     * it as it cancels its tasks.
     *
     * @throws IllegalStateException if another callback waits for the completion
     */
    public void registerCallback(Channel channel, Runnable callback) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(callback, "callback");
        register(() -> channel.scheduleTaskNow(new ChannelTask("future-callback", status -> callback.run())), true);
    }

    /** @return whether the callback was registered or delivered */
    private boolean register(Runnable callbackDelivery, boolean deliverIfDone) {
        boolean alreadyDone;
        lock.lock();
        try {
            if (delivery != null) {
                throw new IllegalStateException("the future already has a callback");
            }
            alreadyDone = done;
            if (!alreadyDone) {
                delivery = callbackDelivery;
            }
        } finally {
            lock.unlock();
        }
        if (alreadyDone && deliverIfDone) {
            callbackDelivery.run();
        }
        return !alreadyDone || deliverIfDone;
    }

    // ---- blocking ----

    /**
     * Waits until the future is done (aws-c-io's {@code wait}).
     *
     * @return false if {@code timeout} passed first
     * @throws InterruptedIOException if this virtual thread is interrupted first
     */
    public boolean await(Duration timeout) throws InterruptedIOException {
        return awaitDone(nanos(timeout));
    }

    /**
     * Waits until the future is done and returns its {@linkplain #result() result}.
     *
     * @throws IoErrorException if the future failed: its error, with the failure's cause
     * @throws InterruptedIOException if this virtual thread is interrupted first
     */
    public T get() throws IoErrorException, InterruptedIOException {
        awaitDone(UNLIMITED);
        return outcome();
    }

    /**
     * {@link #get()}, waiting at most {@code timeout}.
     *
     * @throws TimeoutException if the future is not done within {@code timeout}
     */
    public T get(Duration timeout) throws IoErrorException, InterruptedIOException, TimeoutException {
        if (!awaitDone(nanos(timeout))) {
            throw new TimeoutException("the future is not done after " + timeout);
        }
        return outcome();
    }

    private T outcome() throws IoErrorException {
        if (error != null) {
            throw failure();
        }
        return result();
    }

    private IoErrorException failure() {
        return new IoErrorException(error, "the future failed", cause);
    }

    private static long nanos(Duration timeout) {
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException beyondNanos) { // about 292 years and more
            return UNLIMITED;
        }
    }

    private boolean awaitDone(long nanos) throws InterruptedIOException {
        if (done) {
            return true;
        }
        Thread thread = Thread.currentThread();
        boolean virtual = thread.isVirtual();
        if (virtual && thread.isInterrupted()) {
            throw new InterruptedIOException("interrupted while waiting for a future");
        }
        // A difference of nanoTime instants stays right across an overflow of the sum.
        long deadline = System.nanoTime() + nanos;
        boolean interruptedMeanwhile = false;
        lock.lock();
        try {
            while (!done) {
                try {
                    if (nanos == UNLIMITED) {
                        completed.await();
                    } else {
                        long remaining = deadline - System.nanoTime();
                        if (remaining <= 0) {
                            return false;
                        }
                        completed.awaitNanos(remaining);
                    }
                } catch (InterruptedException e) {
                    if (virtual) {
                        thread.interrupt();
                        throw new InterruptedIOException("interrupted while waiting for a future");
                    }
                    interruptedMeanwhile = true; // an interrupt does not abort a platform thread's wait
                }
            }
            return true;
        } finally {
            lock.unlock();
            if (interruptedMeanwhile) {
                thread.interrupt();
            }
        }
    }

    // ---- java.util.concurrent ----

    /**
     * A {@link CompletableFuture} that completes as this future does: with its result, or
     * exceptionally with the {@link IoErrorException} {@link #get()} would throw. Each call returns
     * a new one; completing or cancelling it does not touch this future.
     */
    public CompletableFuture<T> toCompletableFuture() {
        boolean fillNow = false;
        CompletableFuture<T> mirror;
        lock.lock();
        try {
            if (view == null) {
                view = new CompletableFuture<>();
                fillNow = done;
            }
            mirror = view;
        } finally {
            lock.unlock();
        }
        if (fillNow) {
            try {
                mirror.complete(outcome());
            } catch (IoErrorException | IllegalStateException e) {
                mirror.completeExceptionally(e);
            }
        }
        return mirror.copy();
    }

    @Override
    public String toString() {
        if (!done) {
            return "IoFuture[pending]";
        }
        return error != null ? "IoFuture[failed: " + error + "]" : "IoFuture[done]";
    }
}
