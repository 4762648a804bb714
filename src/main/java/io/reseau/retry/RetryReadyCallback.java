package io.reseau.retry;

import io.reseau.common.IoError;

/** Hears that a retry's wait is over; never within {@link RetryToken#scheduleRetry}, always on the token's loop. */
@FunctionalInterface
public interface RetryReadyCallback {
    /**
     * Make the next attempt now, then report it: {@link RetryToken#scheduleRetry} again on failure,
     * {@link RetryToken#recordSuccess} on success.
     *
     * @param error null, or {@link IoError#OPERATION_CANCELLED} when the loop shut down before the
     *     wait was over (do not retry then)
     */
    void onRetryReady(RetryToken token, IoError error);
}
