package io.reseau.retry;

/** Why an attempt failed, for a strategy's bookkeeping (aws-c-io's {@code aws_retry_error_type}). */
public enum RetryErrorType {
    /**
     * A connection-level failure: a socket timeout, a refused connect, a TLS negotiation timeout. Not
     * for operations that must not run twice: whether the failed one had an effect is unknown.
     */
    TRANSIENT,
    /** The server asked the client to back off (an HTTP 429 or 503). */
    THROTTLING,
    /** A server failure that is not throttling, and worth retrying. */
    SERVER_ERROR,
    /**
     * The request was at fault (an HTTP 401 challenge, say). Exponential backoff retries it at once
     * and does not count it; the standard strategy never retries it.
     */
    CLIENT_ERROR
}
