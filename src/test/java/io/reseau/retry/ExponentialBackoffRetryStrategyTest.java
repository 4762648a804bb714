package io.reseau.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.eventloop.EventLoopGroupOptions;
import io.reseau.testing.OnLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** aws-c-io's exponential_backoff_retry_test.c, and the token's rules. */
@Timeout(60)
class ExponentialBackoffRetryStrategyTest {
    private EventLoopGroup group;

    @BeforeEach
    void startGroup() throws Exception {
        group = new EventLoopGroup(1);
    }

    @AfterEach
    void stopGroup() {
        group.close();
    }

    /**
     * aws-c-io's test: from the token's callback, a server error is retried again and again, each
     * from the retry's own callback, until the strategy refuses. Returns how many retries ran and
     * the refusal. {@code clientErrors} of the first retries report a client error instead.
     */
    private static Object[] retryUntilRefused(RetryStrategy strategy, int clientErrors) throws Exception {
        CompletableFuture<IoError> refused = new CompletableFuture<>();
        int[] retries = {0};
        int[] clientErrorsLeft = {clientErrors};
        RetryReadyCallback[] again = new RetryReadyCallback[1];
        again[0] = (token, error) -> {
            retries[0]++;
            RetryErrorType type = RetryErrorType.SERVER_ERROR;
            if (clientErrorsLeft[0] > 0) {
                clientErrorsLeft[0]--;
                type = RetryErrorType.CLIENT_ERROR;
            }
            try {
                token.scheduleRetry(type, again[0]);
            } catch (IoErrorException e) {
                refused.complete(e.error());
            }
        };
        strategy.acquireToken(null, (token, error) -> {
            try {
                token.scheduleRetry(RetryErrorType.SERVER_ERROR, again[0]);
            } catch (IoErrorException e) {
                refused.complete(e.error());
            }
        });
        IoError error = refused.get(30, TimeUnit.SECONDS);
        return new Object[] {retries[0], error};
    }

    @ParameterizedTest
    @EnumSource(JitterMode.class)
    void tooManyRetries(JitterMode mode) throws Exception {
        RetryStrategy strategy = new ExponentialBackoffRetryStrategy(ExponentialBackoffOptions.of(group)
                .withMaxRetries(3).withJitterMode(mode).withBackoffScale(Duration.ofMillis(10)));
        assertThat(retryUntilRefused(strategy, 0)).containsExactly(3, IoError.MAX_RETRIES_EXCEEDED);
    }

    @Test
    void clientErrorsDoNotCount() throws Exception {
        RetryStrategy strategy = new ExponentialBackoffRetryStrategy(ExponentialBackoffOptions.of(group)
                .withMaxRetries(3).withBackoffScale(Duration.ofMillis(10)));
        assertThat(retryUntilRefused(strategy, 2)).containsExactly(3 + 2, IoError.MAX_RETRIES_EXCEEDED);
    }

    /** Without jitter the waits are the scale, twice it, four times it: at least their sum passes. */
    @Test
    void noJitterTimeTaken() throws Exception {
        Duration scale = Duration.ofMillis(20);
        RetryStrategy strategy = new ExponentialBackoffRetryStrategy(ExponentialBackoffOptions.of(group)
                .withMaxRetries(3).withJitterMode(JitterMode.NONE).withBackoffScale(scale));
        long start = System.nanoTime();
        assertThat(retryUntilRefused(strategy, 0)).containsExactly(3, IoError.MAX_RETRIES_EXCEEDED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(scale.multipliedBy(1 + 2 + 4));
    }

    @Test
    void maxBackoffNoJitter() throws Exception {
        Duration scale = Duration.ofMillis(40);
        Duration max = Duration.ofMillis(60);
        RetryStrategy strategy = new ExponentialBackoffRetryStrategy(ExponentialBackoffOptions.of(group)
                .withMaxRetries(3).withJitterMode(JitterMode.NONE).withBackoffScale(scale).withMaxBackoff(max));
        long start = System.nanoTime();
        assertThat(retryUntilRefused(strategy, 0)).containsExactly(3, IoError.MAX_RETRIES_EXCEEDED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(scale.plus(max).plus(max));
    }

    @Test
    void invalidOptionsAreRefusedAtOnce() {
        assertThatThrownBy(() -> ExponentialBackoffOptions.of(group).withMaxRetries(64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AWS_ERROR_INVALID_ARGUMENT");
        assertThatThrownBy(() -> ExponentialBackoffOptions.of(group).withMaxRetries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExponentialBackoffOptions.of(group).withBackoffScale(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExponentialBackoffOptions.of(null)).isInstanceOf(NullPointerException.class);
        assertThat(IoError.INVALID_ARGUMENT.code()).isEqualTo(34);
        assertThat(IoError.INVALID_STATE.code()).isEqualTo(38);
    }

    /** aws-c-io's defaults for zero fields: 5 retries (its header says 10), 500 ms, 20 s, full jitter. */
    @Test
    void zeroFieldsTakeAwsCIosDefaults() {
        ExponentialBackoffRetryStrategy strategy = new ExponentialBackoffRetryStrategy(ExponentialBackoffOptions.of(group)
                .withBackoffScale(Duration.ZERO));
        assertThat(strategy.maxRetries()).isEqualTo(5);
        assertThat(strategy.backoffScale()).isEqualTo(Duration.ofMillis(500));
        assertThat(strategy.maxBackoff()).isEqualTo(Duration.ofSeconds(20));
        assertThat(strategy.jitterMode()).isEqualTo(JitterMode.DEFAULT);
    }

    /** The token and the ready callback arrive on the token's loop, never on the caller. */
    @Test
    void callbacksRunOnTheTokensLoopNeverWithinTheCall() throws Exception {
        RetryStrategy strategy = new ExponentialBackoffRetryStrategy(ExponentialBackoffOptions.of(group)
                .withBackoffScale(Duration.ofMillis(1)));
        EventLoop loop = group.loopAt(0);
        RetryCallbacks.Outcome acquired = OnLoop.call(loop, () -> {
            CompletableFuture<RetryCallbacks.Outcome> outcome = new CompletableFuture<>();
            strategy.acquireToken(null, (token, error) -> outcome.complete(new RetryCallbacks.Outcome(token, error, Thread.currentThread())));
            assertThat(outcome).as("not within acquireToken, even on the loop").isNotDone();
            return outcome;
        }).get(10, TimeUnit.SECONDS);
        assertThat(acquired.error()).isNull();
        assertThat(acquired.token().strategy()).isSameAs(strategy);
        Thread loopThread = OnLoop.call(loop, Thread::currentThread);
        assertThat(acquired.thread()).isSameAs(loopThread);
        RetryCallbacks.Outcome ready = OnLoop.call(loop, () -> {
            CompletableFuture<RetryCallbacks.Outcome> outcome = RetryCallbacks.scheduled(acquired.token(), RetryErrorType.CLIENT_ERROR);
            assertThat(outcome).as("a client error's retry runs at once, yet not within the call").isNotDone();
            return outcome;
        }).get(10, TimeUnit.SECONDS);
        assertThat(ready.token()).isSameAs(acquired.token());
        assertThat(ready.thread()).isSameAs(loopThread);
    }

    /** A second schedule before the first has run is refused, and changes nothing. */
    @Test
    void aSecondScheduleBeforeTheFirstRanIsRefused() throws Exception {
        RetryStrategy strategy = new ExponentialBackoffRetryStrategy(ExponentialBackoffOptions.of(group)
                .withJitterMode(JitterMode.NONE).withBackoffScale(Duration.ofMillis(200)));
        BackoffToken token = (BackoffToken) RetryCallbacks.token(strategy, null);
        CompletableFuture<RetryCallbacks.Outcome> first = RetryCallbacks.scheduled(token, RetryErrorType.TRANSIENT);
        assertThatThrownBy(() -> token.scheduleRetry(RetryErrorType.TRANSIENT, (t, e) -> {}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AWS_ERROR_INVALID_STATE");
        assertThat(token.retries()).isEqualTo(1);
        assertThat(first.get(10, TimeUnit.SECONDS).error()).isNull();
        assertThat(RetryCallbacks.retry(token, RetryErrorType.TRANSIENT).error()).as("then the next one is fine").isNull();
        assertThat(token.lastBackoffNanos()).isEqualTo(Duration.ofMillis(400).toNanos());
    }

    /** A retry waits now + the jitter's backoff on the loop's clock, to the nanosecond: a manual clock shows it. */
    @Test
    void aRetryIsDueTheBackoffAfterNowOnTheLoopsClock() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        try (EventLoopGroup manual = new EventLoopGroup(EventLoopGroupOptions.withLoopCount(1).clock(now::get))) {
            long random = 123_456_789L;
            RetryStrategy strategy = new ExponentialBackoffRetryStrategy(ExponentialBackoffOptions.of(manual)
                    .withJitterMode(JitterMode.FULL).withRandom(() -> random));
            RetryToken token = RetryCallbacks.token(strategy, null);
            long scheduledAt = now.get();
            CompletableFuture<RetryCallbacks.Outcome> ready = RetryCallbacks.scheduled(token, RetryErrorType.THROTTLING);
            now.set(scheduledAt + random - 1);
            settle(manual.loopAt(0));
            assertThat(ready).as("one nanosecond early").isNotDone();
            now.set(scheduledAt + random);
            settle(manual.loopAt(0));
            assertThat(ready.get(10, TimeUnit.SECONDS).error()).isNull();
        }
    }

    /** Two ticks of the loop at the clock's current time: a task due by then has run. */
    private static void settle(EventLoop loop) throws Exception {
        OnLoop.call(loop, () -> null);
        OnLoop.call(loop, () -> null);
    }

    @Test
    void aWaitCutShortByTheLoopsShutdownIsCancelled() throws Exception {
        RetryStrategy strategy = new ExponentialBackoffRetryStrategy(ExponentialBackoffOptions.of(group)
                .withJitterMode(JitterMode.NONE).withBackoffScale(Duration.ofSeconds(30)));
        RetryToken token = RetryCallbacks.token(strategy, null);
        CompletableFuture<RetryCallbacks.Outcome> ready = RetryCallbacks.scheduled(token, RetryErrorType.TRANSIENT);
        group.close();
        assertThat(ready.get(10, TimeUnit.SECONDS).error()).isEqualTo(IoError.OPERATION_CANCELLED);
        RetryCallbacks.Outcome late = RetryCallbacks.acquire(strategy, null);
        assertThat(late.error()).as("a token asked for after the shutdown").isEqualTo(IoError.OPERATION_CANCELLED);
        assertThat(late.token()).isNull();
    }
}
