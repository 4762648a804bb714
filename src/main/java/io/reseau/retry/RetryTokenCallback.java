package io.reseau.retry;

import io.reseau.common.IoError;

/**
 * Receives a token from {@link RetryStrategy#acquireToken}, on an event loop, never within that call
 * while the strategy's loops run (once they are destroyed, within it, with {@code OPERATION_CANCELLED}).
 */
@FunctionalInterface
public interface RetryTokenCallback {
    /**
     * @param token the token, or null when {@code error} says why there is none
     * @param error null, or {@link IoError#OPERATION_CANCELLED} when the strategy's loops shut down first
     */
    void onTokenAcquired(RetryToken token, IoError error);
}
