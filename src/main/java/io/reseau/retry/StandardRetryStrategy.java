package io.reseau.retry;

import io.reseau.common.IoErrorException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Exponential backoff with a retry budget per partition (aws-c-io's
 * {@code aws_retry_strategy_new_standard}): it stops retrying against a partition (a region, a
 * service, a host) that is failing, so as not to add load to an outage, and lets retries back in as
 * operations succeed again.
 *
 * <p>Each partition has a bucket of {@code initialBucketCapacity} (500 by default), made at its
 * first token; partition names are compared ignoring ASCII case, and null or empty is the default
 * partition. A retry takes 10 from the bucket after a {@code TRANSIENT} failure and 5 after
 * throttling or a server error; a {@code CLIENT_ERROR} is never retried; an empty bucket refuses
 * with {@code RETRY_PERMISSION_DENIED}. A success gives back what the token's last retry took, and
 * a first-try success gives 1. Tokens allow 3 retries unless the backoff options say otherwise.
 */
public final class StandardRetryStrategy implements RetryStrategy {
    public static final int DEFAULT_INITIAL_BUCKET_CAPACITY = 500;
    public static final int DEFAULT_MAX_RETRIES = 3;
    /** What a retry after a {@link RetryErrorType#TRANSIENT} failure takes: such failures suggest an unhealthy partition. */
    static final int TRANSIENT_COST = 10;
    /** What a retry after throttling or a server error takes: the partition answered. */
    static final int RETRY_COST = 5;
    static final int SUCCESS_REFUND = 1;

    private final ExponentialBackoffRetryStrategy backoff;
    private final int maxCapacity;
    private final ConcurrentMap<String, RetryBucket> buckets = new ConcurrentHashMap<>();

    public StandardRetryStrategy(StandardRetryOptions options) {
        Objects.requireNonNull(options, "options");
        ExponentialBackoffOptions backoffOptions = options.backoff();
        this.backoff = new ExponentialBackoffRetryStrategy(backoffOptions.maxRetries() == 0
                ? backoffOptions.withMaxRetries(DEFAULT_MAX_RETRIES) : backoffOptions);
        this.maxCapacity = options.initialBucketCapacity() == 0 ? DEFAULT_INITIAL_BUCKET_CAPACITY : options.initialBucketCapacity();
    }

    /** The backoff this strategy waits with. */
    public ExponentialBackoffRetryStrategy backoff() {
        return backoff;
    }

    @Override
    public void acquireToken(String partitionId, RetryTokenCallback onAcquired) throws IoErrorException {
        Objects.requireNonNull(onAcquired, "onAcquired");
        RetryBucket bucket = buckets.computeIfAbsent(partitionKey(partitionId), key -> new RetryBucket(maxCapacity));
        backoff.acquireToken(partitionId, (token, error) ->
                onAcquired.onTokenAcquired(error == null ? new StandardRetryToken(this, bucket, token) : null, error));
    }

    /** What is left of {@code partitionId}'s budget: the full capacity for a partition not yet used. */
    public int availableCapacity(String partitionId) {
        RetryBucket bucket = buckets.get(partitionKey(partitionId));
        return bucket == null ? maxCapacity : bucket.capacity();
    }

    /** Partition names are equal ignoring ASCII case, as aws-c-io compares them; null is the empty name. */
    private static String partitionKey(String partitionId) {
        if (partitionId == null) {
            return "";
        }
        char[] chars = partitionId.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] += 'a' - 'A';
            }
        }
        return new String(chars);
    }

    @Override
    public String toString() {
        return "StandardRetryStrategy[capacity " + maxCapacity + ", " + backoff + "]";
    }
}
