package io.reseau.retry;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import java.util.Objects;

/** A token of an {@link ExponentialBackoffRetryStrategy}: its retry count, last wait and pending retry. */
final class BackoffToken implements RetryToken {
    private final ExponentialBackoffRetryStrategy strategy;
    private final EventLoop loop;
    private final Task retryTask = new Task("exponential-backoff-retry", this::onRetryDue);
    // Guarded by this.
    private int retries;
    private long lastBackoffNanos;
    private RetryReadyCallback pending;

    BackoffToken(ExponentialBackoffRetryStrategy strategy, EventLoop loop) {
        this.strategy = strategy;
        this.loop = loop;
    }

    @Override
    public RetryStrategy strategy() {
        return strategy;
    }

    /**
     * A retry of any type but {@code CLIENT_ERROR} counts, and waits the jitter's backoff on the
     * loop's clock; a {@code CLIENT_ERROR} retry runs at once. A second schedule before the first has
     * run is refused before anything is counted (aws-c-io counts it first).
     */
    @Override
    public void scheduleRetry(RetryErrorType errorType, RetryReadyCallback onReady) throws IoErrorException {
        Objects.requireNonNull(errorType, "errorType");
        Objects.requireNonNull(onReady, "onReady");
        long dueNanos = 0;
        synchronized (this) {
            if (pending != null) {
                throw new IllegalStateException(IoError.INVALID_STATE.awsName() + ": a retry is already scheduled on this token");
            }
            if (errorType != RetryErrorType.CLIENT_ERROR) {
                if (retries >= strategy.maxRetries()) {
                    throw new IoErrorException(IoError.MAX_RETRIES_EXCEEDED, retries + " retries made, of "
                            + strategy.maxRetries() + " allowed");
                }
                long backoff = strategy.backoffNanos(retries, lastBackoffNanos);
                long now = loop.currentTimeNanos();
                dueNanos = backoff > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + backoff;
                lastBackoffNanos = backoff;
                retries++;
            }
            pending = onReady;
        }
        loop.scheduleFuture(retryTask, dueNanos);
    }

    @Override
    public void recordSuccess() {}

    synchronized int retries() {
        return retries;
    }

    synchronized long lastBackoffNanos() {
        return lastBackoffNanos;
    }

    private void onRetryDue(TaskStatus status) {
        RetryReadyCallback ready;
        synchronized (this) {
            ready = pending;
            pending = null; // the callback may schedule the next retry
        }
        ready.onRetryReady(this, status == TaskStatus.RUN_READY ? null : IoError.OPERATION_CANCELLED);
    }

    @Override
    public String toString() {
        return "BackoffToken[" + loop.name() + ", " + retries() + " retries]";
    }
}
