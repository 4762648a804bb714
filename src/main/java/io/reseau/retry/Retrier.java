package io.reseau.retry;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The blocking form of a {@link RetryStrategy}: runs a call on the calling thread, and after a
 * failure the {@link FailureClassifier} deems retryable, parks (a platform thread blocks) through
 * the strategy's wait and calls again, with the strategy's token discipline: a token per call, a
 * retry scheduled per failure, a success recorded.
 *
 * <pre>{@code
 * Retrier retrier = new Retrier(new StandardRetryStrategy(StandardRetryOptions.of(group)));
 * Socket socket = retrier.call("db.internal", () -> factory.createSocket("db.internal", 5432));
 * }</pre>
 *
 * <p>When the strategy refuses a retry (too many, or the partition's budget is spent), the last
 * failure is thrown, the refusal added to it as suppressed. A failure the classifier does not
 * retry, and anything unchecked, is thrown at once. An interrupt during a wait ends it on any thread
 * with {@link InterruptedIOException} (the failure as its cause, the interrupt status kept), as
 * {@link Thread#sleep} would. A {@link NoRetryStrategy} makes the call once. A classifier that
 * answers {@link RetryErrorType#CLIENT_ERROR} gets, as in aws-c-io, an immediate retry that plain
 * exponential backoff does not count (so no limit), and a refusal from the standard strategy.
 */
public final class Retrier {
    private final RetryStrategy strategy;
    private final FailureClassifier classifier;

    /** Retries what {@link FailureClassifier#ioErrors()} deems retryable. */
    public Retrier(RetryStrategy strategy) {
        this(strategy, FailureClassifier.ioErrors());
    }

    public Retrier(RetryStrategy strategy, FailureClassifier classifier) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
    }

    /** {@link #call(String, RetryableCall)} in the default partition. */
    public <T> T call(RetryableCall<T> call) throws IOException {
        return call(null, call);
    }

    /**
     * Calls {@code call} until it succeeds, its failure is not retried, or the strategy refuses.
     *
     * @param partitionId the retry budget this call draws on (see {@link RetryStrategy#acquireToken})
     * @throws IoErrorException {@code OPERATION_CANCELLED} when the strategy's loops are shut down
     */
    public <T> T call(String partitionId, RetryableCall<T> call) throws IOException {
        Objects.requireNonNull(call, "call");
        RetryToken token = acquireToken(partitionId);
        while (true) {
            T result;
            try {
                result = call.call();
            } catch (IOException failure) {
                RetryErrorType type = classifier.classify(failure);
                if (token == null || type == null) {
                    throw failure;
                }
                awaitRetry(token, type, failure);
                continue;
            }
            if (token != null) {
                token.recordSuccess();
            }
            return result;
        }
    }

    /** The call's token, or null when the strategy grants none (one attempt then). */
    private RetryToken acquireToken(String partitionId) throws IOException {
        CompletableFuture<RetryToken> acquired = new CompletableFuture<>();
        try {
            strategy.acquireToken(partitionId, (token, error) -> {
                if (error == null) {
                    acquired.complete(token);
                } else {
                    acquired.completeExceptionally(new IoErrorException(error, "no retry token"));
                }
            });
        } catch (IoErrorException e) {
            if (e.error() == IoError.RETRY_PERMISSION_DENIED) {
                return null;
            }
            throw e;
        }
        return await(acquired, null);
    }

    /** Schedules the retry and waits it out; throws {@code failure} when the strategy refuses or the wait is cancelled. */
    private void awaitRetry(RetryToken token, RetryErrorType type, IOException failure) throws IOException {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        try {
            token.scheduleRetry(type, (sameToken, error) -> {
                if (error == null) {
                    ready.complete(null);
                } else {
                    ready.completeExceptionally(new IoErrorException(error, "the retry's wait ended"));
                }
            });
        } catch (IoErrorException refused) {
            failure.addSuppressed(refused);
            throw failure;
        }
        try {
            await(ready, failure);
        } catch (IoErrorException cancelled) {
            failure.addSuppressed(cancelled);
            throw failure;
        }
    }

    /** Parks until {@code result} is complete; an interrupt ends the wait, with {@code cause} (or none). */
    private static <V> V await(CompletableFuture<V> result, IOException cause) throws IOException {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting to retry");
            interrupted.initCause(cause);
            throw interrupted;
        } catch (ExecutionException e) {
            throw (IoErrorException) e.getCause();
        }
    }

    @Override
    public String toString() {
        return "Retrier[" + strategy + "]";
    }
}
