package io.reseau.retry;

import io.reseau.common.IoError;
import io.reseau.eventloop.EventLoopGroup;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How an {@link ExponentialBackoffRetryStrategy} waits (aws-c-io's
 * {@code aws_exponential_backoff_retry_options}). As there, a zero or null field means "the
 * default", which the strategy applies: {@link #of(EventLoopGroup)} leaves every field so.
 *
 * @param group whose loops run the tokens' callbacks and timers (required)
 * @param maxRetries retries allowed per token, at most 63; 0: 5 (aws-c-io's header says 10, its
 *     code 5), or 3 under a {@link StandardRetryStrategy}
 * @param backoffScale the first retry's plain wait; zero or null: 500 ms
 * @param maxBackoff the longest wait; zero or null: 20 s
 * @param jitterMode null: {@link JitterMode#DEFAULT}
 * @param random the random numbers the jitter draws, all 64 bits; null: {@code ThreadLocalRandom}.
 *     Called on the thread that schedules a retry.
 */
public record ExponentialBackoffOptions(EventLoopGroup group, int maxRetries, Duration backoffScale, Duration maxBackoff,
        JitterMode jitterMode, LongSupplier random) {
    /** aws-c-io's bound: a token's retry count doubles the wait up to 2^63. */
    public static final int MAX_RETRIES_LIMIT = 63;

    public ExponentialBackoffOptions {
        Objects.requireNonNull(group, "group");
        if (maxRetries < 0 || maxRetries > MAX_RETRIES_LIMIT) {
            throw new IllegalArgumentException(IoError.INVALID_ARGUMENT.awsName() + ": maxRetries must be 0 (the default) to "
                    + MAX_RETRIES_LIMIT + ", got " + maxRetries);
        }
        if ((backoffScale != null && backoffScale.isNegative()) || (maxBackoff != null && maxBackoff.isNegative())) {
            throw new IllegalArgumentException(IoError.INVALID_ARGUMENT.awsName() + ": backoff durations cannot be negative");
        }
    }

    /** The defaults on {@code group}'s loops. */
    public static ExponentialBackoffOptions of(EventLoopGroup group) {
        return new ExponentialBackoffOptions(group, 0, null, null, null, null);
    }

    public ExponentialBackoffOptions withMaxRetries(int retries) {
        return new ExponentialBackoffOptions(group, retries, backoffScale, maxBackoff, jitterMode, random);
    }

    public ExponentialBackoffOptions withBackoffScale(Duration scale) {
        return new ExponentialBackoffOptions(group, maxRetries, scale, maxBackoff, jitterMode, random);
    }

    public ExponentialBackoffOptions withMaxBackoff(Duration max) {
        return new ExponentialBackoffOptions(group, maxRetries, backoffScale, max, jitterMode, random);
    }

    public ExponentialBackoffOptions withJitterMode(JitterMode mode) {
        return new ExponentialBackoffOptions(group, maxRetries, backoffScale, maxBackoff, mode, random);
    }

    public ExponentialBackoffOptions withRandom(LongSupplier source) {
        return new ExponentialBackoffOptions(group, maxRetries, backoffScale, maxBackoff, jitterMode, source);
    }
}
