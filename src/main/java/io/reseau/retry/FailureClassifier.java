package io.reseau.retry;

import io.reseau.common.IoErrorException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

/** Tells {@link Retrier} whether a failed attempt is worth another, and of what kind it was. */
@FunctionalInterface
public interface FailureClassifier {
    /** The kind of failure to report to the strategy, or null to give up at once. */
    RetryErrorType classify(IOException failure);

    /**
     * aws-c-io's recommendation ({@code aws_io_error_code_is_retryable}): a failure that is, or was
     * caused by, an {@link IoErrorException} whose error {@linkplain io.reseau.common.IoError#isRetryable()
     * is retryable} (a refused or aborted connect, a closed socket, a timeout, the network down, a
     * DNS answer to ask again) is {@link RetryErrorType#TRANSIENT}; so are the JDK's exceptions for
     * the retryable connect failures, which Reseau's blocking sockets throw as the JDK's do
     * ({@link SocketTimeoutException}, {@link ConnectException}). Nothing else is retried.
     */
    static FailureClassifier ioErrors() {
        return failure -> {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof IoErrorException io) {
                    return io.error().isRetryable() ? RetryErrorType.TRANSIENT : null;
                }
                if (cause instanceof SocketTimeoutException || cause instanceof ConnectException) {
                    return RetryErrorType.TRANSIENT;
                }
            }
            return null;
        };
    }

    /** This classifier's answer, or {@code next}'s where this one has none. */
    default FailureClassifier orElse(FailureClassifier next) {
        return failure -> {
            RetryErrorType type = classify(failure);
            return type != null ? type : next.classify(failure);
        };
    }
}
