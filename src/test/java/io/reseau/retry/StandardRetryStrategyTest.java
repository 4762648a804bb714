package io.reseau.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoopGroup;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** aws-c-io's standard_retry_test.c (a bucket of 15), and the rest of the bucket's arithmetic. */
@Timeout(60)
class StandardRetryStrategyTest {
    private EventLoopGroup group;
    private StandardRetryStrategy strategy;

    @BeforeEach
    void setUp() throws Exception {
        group = new EventLoopGroup(1);
        strategy = strategy(15);
    }

    @AfterEach
    void tearDown() {
        group.close();
    }

    private StandardRetryStrategy strategy(int capacity) {
        return new StandardRetryStrategy(StandardRetryOptions.of(group).withInitialBucketCapacity(capacity)
                .withBackoff(ExponentialBackoffOptions.of(group).withBackoffScale(Duration.ofMillis(1))));
    }

    private static void assertDenied(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(IoErrorException.class,
                e -> assertThat(e.error()).isEqualTo(IoError.RETRY_PERMISSION_DENIED));
    }

    private static void retried(RetryToken token, RetryErrorType type) throws Exception {
        RetryCallbacks.Outcome ready = RetryCallbacks.retry(token, type);
        assertThat(ready.error()).isNull();
        assertThat(ready.token()).isSameAs(token);
    }

    @Test
    void setupShutdown() {
        assertThat(strategy.availableCapacity(null)).isEqualTo(15);
        assertThat(strategy.backoff().maxRetries()).as("the standard default").isEqualTo(3);
    }

    @Test
    void failureExhaustsBucket() throws Exception {
        String partition = "us-east-1:super-badly-named-aws-service";
        RetryToken token = RetryCallbacks.token(strategy, partition);
        assertThat(token.strategy()).isSameAs(strategy);
        RetryToken samePartition = RetryCallbacks.token(strategy, partition); // the bucket exists now
        retried(token, RetryErrorType.TRANSIENT); // 10
        retried(samePartition, RetryErrorType.SERVER_ERROR); // 5, from another token of the same partition
        assertThat(strategy.availableCapacity(partition)).isZero();
        // Capacity 15 is spent, though each token had retries left.
        assertDenied(() -> token.scheduleRetry(RetryErrorType.SERVER_ERROR, (t, e) -> {}));
        assertDenied(() -> samePartition.scheduleRetry(RetryErrorType.SERVER_ERROR, (t, e) -> {}));
        // Other partitions are not affected.
        RetryToken elsewhere = RetryCallbacks.token(strategy, null);
        retried(elsewhere, RetryErrorType.SERVER_ERROR);
        assertThat(strategy.availableCapacity(null)).isEqualTo(10);
    }

    @Test
    void failureRecovers() throws Exception {
        String partition = "us-west-2:elastic-something-something-manager-manager";
        RetryToken token = RetryCallbacks.token(strategy, partition);
        retried(token, RetryErrorType.TRANSIENT);
        retried(token, RetryErrorType.SERVER_ERROR);
        assertDenied(() -> token.scheduleRetry(RetryErrorType.SERVER_ERROR, (t, e) -> {}));
        for (int i = 0; i < 5; i++) { // five first-try successes pay back 1 each
            RetryCallbacks.token(strategy, partition).recordSuccess();
        }
        assertThat(strategy.availableCapacity(partition)).isEqualTo(5);
        RetryToken next = RetryCallbacks.token(strategy, partition);
        retried(next, RetryErrorType.SERVER_ERROR);
        assertDenied(() -> next.scheduleRetry(RetryErrorType.SERVER_ERROR, (t, e) -> {}));
    }

    @Test
    void partitionNamesIgnoreAsciiCaseAndNullIsTheEmptyName() throws Exception {
        retried(RetryCallbacks.token(strategy, "US-East-1"), RetryErrorType.TRANSIENT);
        assertThat(strategy.availableCapacity("us-east-1")).isEqualTo(5);
        assertThat(strategy.availableCapacity("US-EAST-1")).isEqualTo(5);
        retried(RetryCallbacks.token(strategy, ""), RetryErrorType.SERVER_ERROR);
        assertThat(strategy.availableCapacity(null)).isEqualTo(10);
        assertThat(strategy.availableCapacity("us-west-2")).as("untouched").isEqualTo(15);
    }

    @Test
    void clientErrorsAreNeverRetriedAndCostNothing() throws Exception {
        RetryToken token = RetryCallbacks.token(strategy, null);
        assertDenied(() -> token.scheduleRetry(RetryErrorType.CLIENT_ERROR, (t, e) -> {}));
        assertThat(strategy.availableCapacity(null)).isEqualTo(15);
    }

    /** A success gives back what the token's last retry took, once; a first-try success gives 1, up to the capacity. */
    @Test
    void aSuccessRefundsTheLastRetrysCost() throws Exception {
        StandardRetryStrategy roomy = strategy(500);
        RetryToken token = RetryCallbacks.token(roomy, null);
        retried(token, RetryErrorType.SERVER_ERROR);
        retried(token, RetryErrorType.TRANSIENT);
        assertThat(roomy.availableCapacity(null)).isEqualTo(485);
        token.recordSuccess();
        assertThat(roomy.availableCapacity(null)).isEqualTo(495);
        token.recordSuccess();
        assertThat(roomy.availableCapacity(null)).as("once").isEqualTo(495);
        RetryCallbacks.token(roomy, null).recordSuccess();
        assertThat(roomy.availableCapacity(null)).isEqualTo(496);
        RetryToken full = RetryCallbacks.token(strategy, "full");
        full.recordSuccess();
        assertThat(strategy.availableCapacity("full")).as("never above the capacity").isEqualTo(15);
    }

    /** A bucket with less than a retry's cost lends what it has; the backoff's refusal gives the cost back. */
    @Test
    void aRetryTakesWhatIsLeftAndARefusedOneGivesItBack() throws Exception {
        StandardRetryStrategy roomy = strategy(500);
        RetryToken token = RetryCallbacks.token(roomy, null);
        for (int i = 0; i < 3; i++) {
            retried(token, RetryErrorType.TRANSIENT);
        }
        assertThat(roomy.availableCapacity(null)).isEqualTo(470);
        assertThatThrownBy(() -> token.scheduleRetry(RetryErrorType.TRANSIENT, (t, e) -> {}))
                .isInstanceOfSatisfying(IoErrorException.class, e -> assertThat(e.error()).isEqualTo(IoError.MAX_RETRIES_EXCEEDED));
        assertThat(roomy.availableCapacity(null)).isEqualTo(470);
        token.recordSuccess();
        assertThat(roomy.availableCapacity(null)).as("the last retry that ran cost 10").isEqualTo(480);

        RetryToken small = RetryCallbacks.token(strategy, "small");
        retried(small, RetryErrorType.TRANSIENT);
        retried(small, RetryErrorType.TRANSIENT); // 5 left: it takes 5
        assertThat(strategy.availableCapacity("small")).isZero();
        small.recordSuccess();
        assertThat(strategy.availableCapacity("small")).isEqualTo(5);
    }

    @Test
    void noRetriesGrantsNoToken() {
        assertDenied(() -> NoRetryStrategy.INSTANCE.acquireToken(null, (token, error) -> {
            throw new AssertionError("no callback");
        }));
    }
}
