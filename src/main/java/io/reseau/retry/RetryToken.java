package io.reseau.retry;

import io.reseau.common.IoErrorException;

/**
 * One operation's standing with its {@link RetryStrategy} (aws-c-io's {@code aws_retry_token}):
 * after each failed attempt, {@link #scheduleRetry}; after the attempt that succeeds,
 * {@link #recordSuccess}. From any thread; callbacks run on the token's event loop.
 */
public interface RetryToken {
    RetryStrategy strategy();

    /**
     * Schedules the next attempt after the strategy's wait; {@code onReady} runs when it is over
     * (see {@link RetryReadyCallback} for where).
     *
     * @throws IoErrorException {@code MAX_RETRIES_EXCEEDED} or {@code RETRY_PERMISSION_DENIED}: give
     *     up, and report the failure to the caller
     * @throws IllegalStateException when a retry is already scheduled and has not run
     *     ({@code AWS_ERROR_INVALID_STATE})
     */
    void scheduleRetry(RetryErrorType errorType, RetryReadyCallback onReady) throws IoErrorException;

    /**
     * Says the last attempt succeeded, for strategies that keep budgets: always call it after a
     * success, or a budget spent in an outage never recovers.
     */
    void recordSuccess();
}
