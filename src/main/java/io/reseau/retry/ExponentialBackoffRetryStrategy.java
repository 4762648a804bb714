package io.reseau.retry;

import io.reseau.common.IoError;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Exponential backoff with jitter (aws-c-io's {@code aws_retry_strategy_new_exponential_backoff}).
 * Each token is bound to the next loop of the group when acquired, and its callbacks and timers run
 * there. A token allows {@link #maxRetries()} retries, each after a wait its {@link JitterMode}
 * computes; the next refused with {@code MAX_RETRIES_EXCEEDED}. {@link RetryErrorType#CLIENT_ERROR}
 * retries run at once and are not counted. No budget is kept: partitions are ignored and
 * {@link RetryToken#recordSuccess} does nothing. A wait still running when the loop shuts down ends
 * with {@code OPERATION_CANCELLED}.
 */
public final class ExponentialBackoffRetryStrategy implements RetryStrategy {
    public static final int DEFAULT_MAX_RETRIES = 5;
    public static final Duration DEFAULT_BACKOFF_SCALE = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(20);

    private final EventLoopGroup group;
    private final int maxRetries;
    private final long scaleNanos;
    private final long maxBackoffNanos;
    private final JitterMode jitterMode;
    private final LongSupplier random;

    /** The options' zero and null fields take aws-c-io's defaults. */
    public ExponentialBackoffRetryStrategy(ExponentialBackoffOptions options) {
        Objects.requireNonNull(options, "options");
        this.group = options.group();
        this.maxRetries = options.maxRetries() == 0 ? DEFAULT_MAX_RETRIES : options.maxRetries();
        this.scaleNanos = orDefault(options.backoffScale(), DEFAULT_BACKOFF_SCALE).toNanos();
        this.maxBackoffNanos = orDefault(options.maxBackoff(), DEFAULT_MAX_BACKOFF).toNanos();
        this.jitterMode = options.jitterMode() == null ? JitterMode.DEFAULT : options.jitterMode();
        this.random = options.random() == null ? () -> ThreadLocalRandom.current().nextLong() : options.random();
    }

    private static Duration orDefault(Duration value, Duration fallback) {
        return value == null || value.isZero() ? fallback : value;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration backoffScale() {
        return Duration.ofNanos(scaleNanos);
    }

    public Duration maxBackoff() {
        return Duration.ofNanos(maxBackoffNanos);
    }

    public JitterMode jitterMode() {
        return jitterMode;
    }

    /** Binds a new token to the group's next loop, and hands it over in a task there. The partition is ignored. */
    @Override
    public void acquireToken(String partitionId, RetryTokenCallback onAcquired) {
        Objects.requireNonNull(onAcquired, "onAcquired");
        EventLoop loop = group.nextLoop();
        BackoffToken token = new BackoffToken(this, loop);
        loop.scheduleNow(new Task("retry-token-acquired", status -> {
            if (status == TaskStatus.RUN_READY) {
                onAcquired.onTokenAcquired(token, null);
            } else {
                onAcquired.onTokenAcquired(null, IoError.OPERATION_CANCELLED);
            }
        }));
    }

    /** The wait before a token's next retry, {@code retries} having been scheduled and the last having waited {@code lastNanos}. */
    long backoffNanos(int retries, long lastNanos) {
        return jitterMode.backoffNanos(retries, lastNanos, scaleNanos, maxBackoffNanos, random);
    }

    @Override
    public String toString() {
        return "ExponentialBackoffRetryStrategy[" + jitterMode + ", " + maxRetries + " retries, scale " + backoffScale()
                + ", max " + maxBackoff() + "]";
    }
}
