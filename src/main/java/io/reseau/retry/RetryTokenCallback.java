package io.reseau.retry;

import io.reseau.common.IoError;

/** Receives a token from {@link RetryStrategy#acquireToken}; never within that call, always on an event loop. */
@FunctionalInterface
public interface RetryTokenCallback {
    /**
     * @param token the token, or null when {@code error} says why there is none
     * @param error null, or {@link IoError#OPERATION_CANCELLED} when the strategy's loops shut down first
     */
    void onTokenAcquired(RetryToken token, IoError error);
}
