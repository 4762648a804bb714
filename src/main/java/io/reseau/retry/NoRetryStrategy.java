package io.reseau.retry;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;

/**
 * Turns retries off (aws-c-io's {@code aws_retry_strategy_new_no_retry}): it grants no tokens, so
 * an operation makes one attempt. {@link Retrier} runs the call once.
 */
public final class NoRetryStrategy implements RetryStrategy {
    public static final NoRetryStrategy INSTANCE = new NoRetryStrategy();

    private NoRetryStrategy() {}

    /** @throws IoErrorException always: {@code RETRY_PERMISSION_DENIED} */
    @Override
    public void acquireToken(String partitionId, RetryTokenCallback onAcquired) throws IoErrorException {
        throw new IoErrorException(IoError.RETRY_PERMISSION_DENIED, "this strategy does not retry");
    }

    @Override
    public String toString() {
        return "NoRetryStrategy";
    }
}
