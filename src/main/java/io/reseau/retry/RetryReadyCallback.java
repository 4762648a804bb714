package io.reseau.retry;

import io.reseau.common.IoError;

/**
 * Hears that a retry's wait is over, on the token's loop, never within {@link RetryToken#scheduleRetry}
 * while the loop runs (once it is destroyed, within it, with {@code OPERATION_CANCELLED}).
 */
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
