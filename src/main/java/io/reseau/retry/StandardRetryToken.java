package io.reseau.retry;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.util.Objects;

/** A token of a {@link StandardRetryStrategy}: a backoff token, its partition's bucket, and what its last retry cost. */
final class StandardRetryToken implements RetryToken {
    private final StandardRetryStrategy strategy;
    private final RetryBucket bucket;
    private final RetryToken backoff;
    // What a success gives back: a first-try success repays 1 that was never taken, so that a
    // bucket emptied in an outage refills as operations succeed again.
    private int lastRetryCost = StandardRetryStrategy.SUCCESS_REFUND; // guarded by this

    StandardRetryToken(StandardRetryStrategy strategy, RetryBucket bucket, RetryToken backoff) {
        this.strategy = strategy;
        this.bucket = bucket;
        this.backoff = backoff;
    }

    @Override
    public RetryStrategy strategy() {
        return strategy;
    }

    /**
     * Client errors are never retried; any other retry takes its cost from the bucket
     * ({@code TRANSIENT} 10, the others 5, or what is left), or is refused when it is empty. If the
     * backoff refuses (too many retries), the cost goes back.
     */
    @Override
    public void scheduleRetry(RetryErrorType errorType, RetryReadyCallback onReady) throws IoErrorException {
        Objects.requireNonNull(errorType, "errorType");
        Objects.requireNonNull(onReady, "onReady");
        if (errorType == RetryErrorType.CLIENT_ERROR) {
            throw new IoErrorException(IoError.RETRY_PERMISSION_DENIED, "client errors are not retried");
        }
        int previousCost;
        int cost;
        synchronized (this) {
            cost = bucket.withdraw(errorType == RetryErrorType.TRANSIENT
                    ? StandardRetryStrategy.TRANSIENT_COST : StandardRetryStrategy.RETRY_COST);
            if (cost == 0) {
                throw new IoErrorException(IoError.RETRY_PERMISSION_DENIED, "the partition's retry capacity is spent");
            }
            previousCost = lastRetryCost;
            lastRetryCost = cost;
        }
        try {
            backoff.scheduleRetry(errorType, (token, error) -> onReady.onRetryReady(this, error));
        } catch (IoErrorException | RuntimeException refused) {
            synchronized (this) {
                lastRetryCost = previousCost;
            }
            bucket.deposit(cost);
            throw refused;
        }
    }

    /** Gives the last retry's cost back to the bucket (1 after a first-try success), once. */
    @Override
    public void recordSuccess() {
        int refund;
        synchronized (this) {
            refund = lastRetryCost;
            lastRetryCost = 0;
        }
        bucket.deposit(refund);
    }
}
