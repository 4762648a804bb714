package io.reseau.retry;

import java.io.IOException;

/** One attempt of an operation that {@link Retrier} may repeat. */
@FunctionalInterface
public interface RetryableCall<T> {
    T call() throws IOException;
}
