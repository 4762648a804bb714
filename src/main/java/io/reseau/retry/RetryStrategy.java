package io.reseau.retry;

import io.reseau.common.IoErrorException;

/**
 * Decides whether and when a failed operation is tried again (aws-c-io's {@code aws_retry_strategy}).
 * An operation first acquires a {@link RetryToken}, makes its attempt, then either records success
 * on the token or asks it to schedule a retry, which the strategy may refuse.
 *
 * <p>Strategies: {@link ExponentialBackoffRetryStrategy}, {@link StandardRetryStrategy} (backoff
 * and a retry budget per partition), {@link NoRetryStrategy}. For blocking code, {@link Retrier}
 * runs the whole loop on the calling thread.
 */
public interface RetryStrategy {
    /**
     * Acquires a token for one operation; {@code onAcquired} receives it later, on an event loop,
     * never within this call.
     *
     * @param partitionId groups operations that share a retry budget (a region and a service, a
     *     host name...); null or empty is the default partition. Strategies without budgets ignore it.
     * @throws IoErrorException {@code RETRY_PERMISSION_DENIED} when the strategy grants no tokens
     *     (then {@code onAcquired} never runs)
     */
    void acquireToken(String partitionId, RetryTokenCallback onAcquired) throws IoErrorException;
}
