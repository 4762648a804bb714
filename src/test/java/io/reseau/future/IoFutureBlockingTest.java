package io.reseau.future;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.common.IoError;
import io.reseau.testing.BlockedCaller;
import io.reseau.testing.Polling;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * get() and await() on virtual and platform threads, with the blocking sockets' interrupt rules:
 * an interrupt ends a virtual thread's wait (status kept), never a platform thread's.
 */
@Timeout(30)
class IoFutureBlockingTest {
    /** Longer than any wait that must end by itself, for the calls that must not. */
    private static final Duration STAYS_BLOCKED = Duration.ofMillis(300);

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {true, false})
    void getWaitsUntilTheFutureIsDone(boolean virtual) throws Exception {
        IoFuture<String> future = IoFuture.create();
        BlockedCaller caller = BlockedCaller.blocked(virtual, future::get);
        assertThat(caller.hasEnded()).isFalse();
        future.setResult("done");
        assertThat(caller.outcome()).isEqualTo("returned done, interrupted=false");
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {true, false})
    void getReportsTheErrorTheFutureFailsWith(boolean virtual) throws Exception {
        IoFuture<String> future = IoFuture.create();
        BlockedCaller caller = BlockedCaller.blocked(virtual, future::get);
        future.setError(IoError.SOCKET_CLOSED);
        assertThat(caller.outcome()).isEqualTo("IoErrorException: the future failed: "
                + IoError.SOCKET_CLOSED + ", interrupted=false");
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {true, false})
    void aTimedGetTimesOutAndLeavesTheFutureUsable(boolean virtual) throws Exception {
        IoFuture<String> future = IoFuture.create();
        BlockedCaller caller = BlockedCaller.start(virtual, () -> future.get(Duration.ofMillis(100)));
        assertThat(caller.outcome()).isEqualTo("TimeoutException: the future is not done after PT0.1S, interrupted=false");
        assertThat(future.isDone()).isFalse();
        BlockedCaller again = BlockedCaller.blocked(virtual, () -> future.get(Duration.ofSeconds(10)));
        future.setResult("later");
        assertThat(again.outcome()).isEqualTo("returned later, interrupted=false");
    }

    @Test
    void interruptingAVirtualThreadEndsItsWaitAndKeepsItsStatus() throws Exception {
        IoFuture<String> future = IoFuture.create();
        BlockedCaller caller = BlockedCaller.blocked(true, future::get);
        caller.thread().interrupt();
        assertThat(caller.outcome())
                .isEqualTo("InterruptedIOException: interrupted while waiting for a future, interrupted=true");
        assertThat(future.isDone()).as("the work goes on").isFalse();
    }

    @Test
    void anInterruptedVirtualThreadDoesNotStartToWait() throws Exception {
        IoFuture<String> future = IoFuture.create();
        BlockedCaller caller = BlockedCaller.start(true, () -> {
            Thread.currentThread().interrupt();
            return future.await(Duration.ofSeconds(10));
        });
        assertThat(caller.outcome())
                .isEqualTo("InterruptedIOException: interrupted while waiting for a future, interrupted=true");
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {true, false})
    void anInterruptedThreadStillGetsAResultThatIsThere(boolean virtual) throws Exception {
        IoFuture<String> future = IoFuture.completed("here");
        BlockedCaller caller = BlockedCaller.start(virtual, () -> {
            Thread.currentThread().interrupt();
            return future.get();
        });
        assertThat(caller.outcome()).isEqualTo("returned here, interrupted=true");
    }

    @Test
    void interruptingAPlatformThreadDoesNotEndItsWait() throws Exception {
        IoFuture<String> future = IoFuture.create();
        BlockedCaller caller = BlockedCaller.blocked(false, future::get);
        caller.thread().interrupt();
        Polling.assertStaysTrue(() -> !caller.hasEnded(), STAYS_BLOCKED, "the interrupted platform thread waits on");
        future.setResult("done");
        assertThat(caller.outcome()).isEqualTo("returned done, interrupted=true");
    }

    @Test
    void anInterruptedPlatformThreadStillWaitsItsFullTimeout() throws Exception {
        IoFuture<String> future = IoFuture.create();
        BlockedCaller caller = BlockedCaller.start(false, () -> {
            Thread.currentThread().interrupt();
            long start = System.nanoTime();
            boolean done = future.await(Duration.ofMillis(200));
            return done + " after at least 200 ms: " + (System.nanoTime() - start >= 200_000_000L);
        });
        assertThat(caller.outcome()).isEqualTo("returned false after at least 200 ms: true, interrupted=true");
    }
}
