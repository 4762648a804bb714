package io.reseau.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.net.ReseauSocketFactory;
import io.reseau.testing.WaitingThreads;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The blocking form: a call retried on the calling thread, virtual or platform, with the strategy's tokens. */
@Timeout(60)
class RetrierTest {
    private EventLoopGroup group;

    @BeforeEach
    void startGroup() throws Exception {
        group = new EventLoopGroup(1);
    }

    @AfterEach
    void stopGroup() {
        group.close();
    }

    private ExponentialBackoffOptions quickBackoff() {
        return ExponentialBackoffOptions.of(group).withBackoffScale(Duration.ofMillis(1));
    }

    private StandardRetryStrategy standard(int capacity) {
        return new StandardRetryStrategy(StandardRetryOptions.of(group).withBackoff(quickBackoff())
                .withInitialBucketCapacity(capacity));
    }

    /** Runs {@code work} on a new virtual or platform thread and hands back its result or failure. */
    private interface Work<T> {
        T run() throws Exception;
    }

    private static <T> CompletableFuture<T> onThread(boolean virtual, Work<T> work, Thread[] started) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Runnable body = () -> {
            try {
                outcome.complete(work.run());
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        };
        started[0] = virtual ? Thread.ofVirtual().start(body) : Thread.ofPlatform().daemon().start(body);
        return outcome;
    }

    private static <T> T on(boolean virtual, Work<T> work) throws Throwable {
        try {
            return onThread(virtual, work, new Thread[1]).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause();
        }
    }

    /** A call failing with {@code error} {@code failures} times, then answering "ok"; counts its attempts. */
    private static RetryableCall<String> failing(int failures, IoError error, AtomicInteger attempts) {
        return () -> {
            int attempt = attempts.incrementAndGet();
            if (attempt <= failures) {
                throw new IoErrorException(error, "attempt " + attempt);
            }
            return "ok";
        };
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {true, false})
    void retriesUntilTheCallSucceedsAndRecordsTheSuccess(boolean virtual) throws Throwable {
        StandardRetryStrategy strategy = standard(500);
        AtomicInteger attempts = new AtomicInteger();
        String result = on(virtual, () -> new Retrier(strategy).call("db", failing(2, IoError.SOCKET_CONNECTION_REFUSED, attempts)));
        assertThat(result).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
        assertThat(strategy.availableCapacity("db")).as("two transient retries, the last refunded").isEqualTo(490);
    }

    @Test
    void aFailureThatIsNotRetryableIsThrownAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> new Retrier(standard(500)).call(failing(5, IoError.TLS_ERROR_NEGOTIATION_FAILURE, attempts)))
                .isInstanceOf(IoErrorException.class).hasMessageContaining("attempt 1").hasNoSuppressedExceptions();
        assertThat(attempts).hasValue(1);
        assertThatThrownBy(() -> new Retrier(standard(500)).call(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("unchecked");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(attempts).as("unchecked: not retried").hasValue(2);
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {true, false})
    void whenTheStrategyRefusesTheLastFailureIsThrownWithTheRefusal(boolean virtual) {
        Retrier retrier = new Retrier(new ExponentialBackoffRetryStrategy(quickBackoff().withMaxRetries(2)));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> on(virtual, () -> retrier.call(failing(10, IoError.SOCKET_TIMEOUT, attempts))))
                .isInstanceOf(IoErrorException.class).hasMessageContaining("attempt 3")
                .satisfies(e -> assertThat(((IoErrorException) e.getSuppressed()[0]).error()).isEqualTo(IoError.MAX_RETRIES_EXCEEDED));
        assertThat(attempts).hasValue(3);
    }

    /** A bucket of 15: a transient retry takes 10, the next the 5 left, the third is denied. */
    @Test
    void aSpentBudgetEndsTheRetries() {
        StandardRetryStrategy strategy = standard(15);
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> new Retrier(strategy).call(failing(10, IoError.SOCKET_CLOSED, attempts)))
                .hasMessageContaining("attempt 3")
                .satisfies(e -> assertThat(((IoErrorException) e.getSuppressed()[0]).error()).isEqualTo(IoError.RETRY_PERMISSION_DENIED));
        assertThat(attempts).hasValue(3);
        assertThat(strategy.availableCapacity(null)).isZero();
    }

    /** A failure of the caller's own is retried as the caller's classifier says. */
    @Test
    void aUserClassifierAddsItsOwnFailures() throws Exception {
        final class Throttled extends IOException {
            private static final long serialVersionUID = 1L;
        }
        StandardRetryStrategy strategy = standard(500);
        FailureClassifier classifier = FailureClassifier.ioErrors()
                .orElse(failure -> failure instanceof Throttled ? RetryErrorType.THROTTLING : null);
        AtomicInteger attempts = new AtomicInteger();
        String result = new Retrier(strategy, classifier).call(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new Throttled();
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(attempts).hasValue(2);
        assertThat(strategy.availableCapacity(null)).as("5 taken, 5 refunded").isEqualTo(500);
        assertThat(FailureClassifier.ioErrors().classify(new Throttled())).isNull();
        assertThat(FailureClassifier.ioErrors().classify(new IOException(new IoErrorException(IoError.DNS_QUERY_AGAIN, "x"))))
                .as("a retryable cause").isEqualTo(RetryErrorType.TRANSIENT);
    }

    @Test
    void withoutRetriesTheCallRunsOnce() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> new Retrier(NoRetryStrategy.INSTANCE).call(failing(1, IoError.SOCKET_TIMEOUT, attempts)))
                .hasMessageContaining("attempt 1").hasNoSuppressedExceptions();
        assertThat(attempts).hasValue(1);
    }

    /** Between attempts the caller parks through the strategy's wait; an interrupt ends it, on any thread. */
    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {true, false})
    void theCallerParksThroughTheWaitAndAnInterruptEndsIt(boolean virtual) throws Exception {
        Retrier retrier = new Retrier(new ExponentialBackoffRetryStrategy(ExponentialBackoffOptions.of(group)
                .withJitterMode(JitterMode.NONE).withBackoffScale(Duration.ofSeconds(30))));
        AtomicInteger attempts = new AtomicInteger();
        Thread[] caller = new Thread[1];
        CompletableFuture<String> outcome = onThread(virtual, () -> {
            try {
                return retrier.call(failing(1, IoError.SOCKET_CONNECT_ABORTED, attempts));
            } catch (InterruptedIOException e) {
                return e.getMessage() + ", cause: " + e.getCause().getMessage() + ", interrupted=" + Thread.currentThread().isInterrupted();
            }
        }, caller);
        WaitingThreads.await(caller[0]);
        assertThat(attempts).hasValue(1);
        caller[0].interrupt();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).startsWith("interrupted while waiting to retry, cause: attempt 1: ")
                .endsWith("interrupted=true");
        assertThat(attempts).hasValue(1);
    }

    /** The waits are the strategy's: without jitter, the scale and twice it. */
    @Test
    void theWaitsAreTheStrategysBackoff() throws Exception {
        Duration scale = Duration.ofMillis(50);
        Retrier retrier = new Retrier(new ExponentialBackoffRetryStrategy(ExponentialBackoffOptions.of(group)
                .withJitterMode(JitterMode.NONE).withBackoffScale(scale)));
        long start = System.nanoTime();
        assertThat(retrier.call(failing(2, IoError.SOCKET_TIMEOUT, new AtomicInteger()))).isEqualTo("ok");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(scale.multipliedBy(3));
    }

    /** A real refused connect, through Reseau's blocking sockets, is retried until the server listens. */
    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {true, false})
    void aRefusedConnectIsRetriedUntilTheServerListens(boolean virtual) throws Throwable {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
            port = probe.getLocalPort();
        }
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            AtomicInteger attempts = new AtomicInteger();
            Retrier retrier = new Retrier(standard(500));
            try (Socket socket = on(virtual, () -> retrier.call(() -> {
                if (attempts.incrementAndGet() == 3) {
                    server.bind(new InetSocketAddress(loopback, port)); // listening from the third attempt on
                }
                return ReseauSocketFactory.getDefault().createSocket(loopback, port);
            }))) {
                assertThat(socket.isConnected()).isTrue();
            }
            assertThat(attempts).hasValue(3);
        }
    }

    @Test
    void aStrategyWhoseLoopsAreGoneCannotStart() throws Exception {
        Retrier retrier = new Retrier(standard(500));
        group.close();
        assertThatThrownBy(() -> retrier.call(() -> "never")).isInstanceOfSatisfying(IoErrorException.class,
                e -> assertThat(e.error()).isEqualTo(IoError.OPERATION_CANCELLED));
    }
}
