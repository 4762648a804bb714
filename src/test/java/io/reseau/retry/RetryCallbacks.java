package io.reseau.retry;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Turns a strategy's callbacks into values a test waits for. */
final class RetryCallbacks {
    /** What a callback was given, and on which thread it ran. */
    record Outcome(RetryToken token, IoError error, Thread thread) {}

    private RetryCallbacks() {}

    static Outcome acquire(RetryStrategy strategy, String partition) throws Exception {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        strategy.acquireToken(partition, (token, error) -> outcome.complete(new Outcome(token, error, Thread.currentThread())));
        return outcome.get(10, TimeUnit.SECONDS);
    }

    static RetryToken token(RetryStrategy strategy, String partition) throws Exception {
        Outcome outcome = acquire(strategy, partition);
        if (outcome.error() != null) {
            throw new AssertionError("no token: " + outcome.error());
        }
        return outcome.token();
    }

    /** Schedules a retry and waits until it is ready; what scheduling throws is thrown here. */
    static Outcome retry(RetryToken token, RetryErrorType type) throws Exception {
        CompletableFuture<Outcome> outcome = scheduled(token, type);
        return outcome.get(30, TimeUnit.SECONDS);
    }

    static CompletableFuture<Outcome> scheduled(RetryToken token, RetryErrorType type) throws IoErrorException {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        token.scheduleRetry(type, (ready, error) -> outcome.complete(new Outcome(ready, error, Thread.currentThread())));
        return outcome;
    }
}
