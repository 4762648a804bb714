package io.reseau.retry;

import io.reseau.common.IoError;
import io.reseau.eventloop.EventLoopGroup;
import java.util.Objects;

/**
 * How a {@link StandardRetryStrategy} is built (aws-c-io's {@code aws_standard_retry_options}).
 *
 * @param backoff the backoff it wraps; its {@code maxRetries} of 0 means 3 here
 * @param initialBucketCapacity each partition's budget; 0: 500
 */
public record StandardRetryOptions(ExponentialBackoffOptions backoff, int initialBucketCapacity) {
    public StandardRetryOptions {
        Objects.requireNonNull(backoff, "backoff");
        if (initialBucketCapacity < 0) {
            throw new IllegalArgumentException(IoError.INVALID_ARGUMENT.awsName()
                    + ": initialBucketCapacity must be 0 (the default) or more, got " + initialBucketCapacity);
        }
    }

    /** The defaults on {@code group}'s loops. */
    public static StandardRetryOptions of(EventLoopGroup group) {
        return new StandardRetryOptions(ExponentialBackoffOptions.of(group), 0);
    }

    public StandardRetryOptions withBackoff(ExponentialBackoffOptions options) {
        return new StandardRetryOptions(options, initialBucketCapacity);
    }

    public StandardRetryOptions withInitialBucketCapacity(int capacity) {
        return new StandardRetryOptions(backoff, capacity);
    }
}
