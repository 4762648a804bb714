package io.reseau.future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.channel.Channel;
import io.reseau.channel.ChannelOptions;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EpollEventLoop;
import io.reseau.eventloop.Task;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** aws-c-io's future_test.c, one test per case, and the Java ways in and out. */
@Timeout(30)
class IoFutureTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private EpollEventLoop loop;

    @AfterEach
    void destroyLoop() {
        if (loop != null) {
            loop.destroy();
        }
    }

    private EpollEventLoop runningLoop() throws Exception {
        loop = new EpollEventLoop("future-test");
        loop.start();
        return loop;
    }

    /** What a callback saw when it ran: its future's state, its thread, whether that is the loop's. */
    private static final class Recorder {
        final IoFuture<Long> future;
        final AtomicInteger invocations = new AtomicInteger();
        volatile IoError error;
        volatile Long result;
        volatile Thread thread;
        volatile boolean onLoopThread;
        final IoFuture<Void> ran = IoFuture.create();

        Recorder(IoFuture<Long> future) {
            this.future = future;
        }

        void record(EpollEventLoop loop) {
            error = future.error();
            if (error == null) {
                result = future.result();
            }
            thread = Thread.currentThread();
            onLoopThread = loop != null && loop.isOnLoopThread();
            invocations.incrementAndGet();
            ran.setResult(null);
        }

        /** Waits for the callback, then checks it ran once, on the loop's thread, seeing {@code expected}. */
        void assertRanOnceOnTheLoop(long expected) throws Exception {
            ran.get(WAIT);
            assertThat(invocations).hasValue(1);
            assertThat(result).isEqualTo(expected);
            assertThat(onLoopThread).isTrue();
        }
    }

    /** A resource that must be released exactly once, as aws-c-io's test "destroyme". */
    private static final class Resource {
        final String name;
        int releases;

        Resource(String name) {
            this.name = name;
        }

        static final Consumer<Resource> RELEASE = resource -> {
            assertThat(resource).as("release is never called with null").isNotNull();
            resource.releases++;
            assertThat(resource.releases).as("released once").isEqualTo(1);
        };
    }

    @Test
    void byValue() {
        IoFuture<Boolean> future = IoFuture.create();
        assertThat(future.isDone()).isFalse();
        future.setResult(true);
        assertThat(future.isDone()).isTrue();
        assertThat(future.error()).isNull();
        assertThat(future.result()).isTrue();
    }

    @Test
    void voidFuture() {
        IoFuture<Void> future = IoFuture.create();
        assertThat(future.isDone()).isFalse();
        future.setResult(null);
        assertThat(future.isDone()).isTrue();
        assertThat(future.error()).isNull();
    }

    @Test
    void callbackFiresImmediatelyOnTheCallersThreadWhenAlreadyDone() {
        Recorder recorder = new Recorder(IoFuture.create());
        recorder.future.setResult(123L);
        recorder.future.registerCallback(() -> recorder.record(null));
        assertThat(recorder.invocations).hasValue(1);
        assertThat(recorder.error).isNull();
        assertThat(recorder.result).isEqualTo(123L);
        assertThat(recorder.thread).isSameAs(Thread.currentThread());
    }

    @Test
    void callbackFiresOnTheCompletingThread() throws Exception {
        Recorder recorder = new Recorder(IoFuture.create());
        CountDownLatch go = new CountDownLatch(1);
        Thread completer = Thread.ofPlatform().name("future-completer").start(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            recorder.future.setResult(987L);
        });
        recorder.future.registerCallback(() -> recorder.record(null));
        assertThat(recorder.invocations).as("not before completion").hasValue(0);
        go.countDown();
        completer.join();
        assertThat(recorder.invocations).hasValue(1);
        assertThat(recorder.result).isEqualTo(987L);
        assertThat(recorder.thread).isSameAs(completer);
    }

    @Test
    void registerCallbackIfNotDone() {
        Recorder done = new Recorder(IoFuture.create());
        done.future.setResult(555L);
        assertThat(done.future.registerCallbackIfNotDone(() -> done.record(null))).isFalse();
        assertThat(done.invocations).hasValue(0);

        Recorder pending = new Recorder(IoFuture.create());
        assertThat(pending.future.registerCallbackIfNotDone(() -> pending.record(null))).isTrue();
        assertThat(pending.invocations).hasValue(0);
        pending.future.setResult(555L);
        assertThat(pending.invocations).hasValue(1);
        // Once the callback has fired, registering again is allowed (a loop of calls relies on it),
        // and refused as the future is done.
        assertThat(pending.future.registerCallbackIfNotDone(() -> pending.record(null))).isFalse();
        assertThat(pending.invocations).hasValue(1);
    }

    @ParameterizedTest(name = "registered after done: {0}")
    @ValueSource(booleans = {true, false})
    void eventLoopCallbackRunsOnTheLoop(boolean registeredAfterDone) throws Exception {
        EpollEventLoop loop = runningLoop();
        Recorder recorder = new Recorder(IoFuture.create());
        Runnable register = () -> recorder.future.registerCallback(loop, () -> recorder.record(loop));
        if (registeredAfterDone) {
            recorder.future.setResult(765L);
            register.run();
        } else {
            register.run();
            recorder.future.setResult(765L);
        }
        recorder.assertRanOnceOnTheLoop(765L);
    }

    @Test
    void eventLoopCallbackIsAlwaysATaskOfItsOwn() throws Exception {
        EpollEventLoop loop = runningLoop();
        Recorder recorder = new Recorder(IoFuture.create());
        recorder.future.registerCallback(loop, () -> recorder.record(loop));
        IoFuture<Integer> seenRightAfterSet = IoFuture.create();
        loop.scheduleNow(new Task("set-result", status -> {
            recorder.future.setResult(1234567L);
            seenRightAfterSet.setResult(recorder.invocations.get());
        }));
        assertThat(seenRightAfterSet.get(WAIT)).as("not in setResult's call stack, on the loop thread").isZero();
        recorder.assertRanOnceOnTheLoop(1234567L);
    }

    @Test
    void eventLoopCallbackStillRunsWhenTheLoopIsDestroyedFirst() throws Exception {
        EpollEventLoop loop = new EpollEventLoop("future-test-destroyed"); // never started: the task waits
        Recorder recorder = new Recorder(IoFuture.create());
        recorder.future.registerCallback(loop, () -> recorder.record(null));
        recorder.future.setResult(1L);
        assertThat(recorder.invocations).hasValue(0);
        loop.destroy();
        assertThat(recorder.invocations).as("run as the loop cancels its tasks").hasValue(1);
    }

    private static Channel channelOn(EpollEventLoop loop) throws Exception {
        IoFuture<Void> setUp = IoFuture.create();
        Channel channel = Channel.create(new ChannelOptions(loop, (c, error) -> {
            if (error != null) {
                setUp.setError(error);
            } else {
                setUp.setResult(null);
            }
        }, null, false));
        setUp.get(WAIT);
        return channel;
    }

    @Test
    void channelCallbackRunsAsAChannelTask() throws Exception {
        EpollEventLoop loop = runningLoop();
        Channel channel = channelOn(loop);
        Recorder recorder = new Recorder(IoFuture.create());
        recorder.future.setResult(234567L);
        recorder.future.registerCallback(channel, () -> recorder.record(loop));
        recorder.assertRanOnceOnTheLoop(234567L);
    }

    @Test
    void channelCallbackStillRunsWhenTheChannelShutsDownFirst() throws Exception {
        EpollEventLoop loop = runningLoop();
        Channel channel = channelOn(loop);
        IoFuture<Void> shutDown = IoFuture.create();
        channel.shutdown(null);
        loop.scheduleNow(new Task("after-shutdown", status -> shutDown.setResult(null)));
        shutDown.get(WAIT);
        Recorder recorder = new Recorder(IoFuture.create());
        recorder.future.registerCallback(channel, () -> recorder.record(loop));
        recorder.future.setResult(7L);
        recorder.ran.get(WAIT);
        assertThat(recorder.invocations).hasValue(1);
    }

    @Test
    void awaitTimesOut() throws Exception {
        IoFuture<Void> never = IoFuture.create();
        long start = System.nanoTime();
        assertThat(never.await(Duration.ofMillis(200))).isFalse();
        assertThat(System.nanoTime() - start).as("waited its timeout").isGreaterThanOrEqualTo(200_000_000L);
        assertThat(never.await(Duration.ZERO)).isFalse();
        assertThat(never.await(Duration.ofSeconds(-1))).isFalse();
    }

    @Test
    void awaitWithTheLargestTimeoutWaitsForCompletion() throws Exception {
        // aws-c-io's regression: a timeout of UINT64_MAX once turned negative and timed out at once.
        for (Duration forever : List.of(ChronoUnit.FOREVER.getDuration(), Duration.ofNanos(Long.MAX_VALUE))) {
            IoFuture<Long> future = IoFuture.create();
            Thread completer = Thread.ofPlatform().start(() -> future.setResult(1L));
            assertThat(future.await(forever)).isTrue();
            assertThat(future.get(forever)).isEqualTo(1L);
            completer.join();
        }
    }

    @Test
    void owningResultIsReleasedWhenTheFutureIsAbandoned() {
        IoFuture<Resource> future = IoFuture.owning(Resource.RELEASE);
        Resource resource = new Resource("original");
        future.setResult(resource);
        assertThat(future.isDone()).isTrue();
        assertThat(future.result()).as("peeking keeps it the future's").isSameAs(resource);
        assertThat(resource.releases).isZero();
        future.abandon();
        assertThat(resource.releases).isEqualTo(1);
        assertThatThrownBy(future::result).isInstanceOf(IllegalStateException.class).hasMessageContaining("released");
        future.abandon();
        assertThat(resource.releases).as("abandoning twice releases once").isEqualTo(1);
    }

    @Test
    void takenResultBecomesTheCallers() {
        IoFuture<Resource> future = IoFuture.owning(Resource.RELEASE);
        Resource resource = new Resource("original");
        future.setResult(resource);
        assertThat(future.takeResult()).isSameAs(resource);
        future.abandon();
        assertThat(resource.releases).as("the future no longer owns it").isZero();
        assertThatThrownBy(future::takeResult).isInstanceOf(IllegalStateException.class).hasMessageContaining("taken");
        assertThatThrownBy(future::result).isInstanceOf(IllegalStateException.class).hasMessageContaining("taken");
    }

    @Test
    void anIncompleteFutureCanBeAbandonedAndReleasesWhatComesLater() {
        IoFuture<Resource> future = IoFuture.owning(Resource.RELEASE);
        CompletableFuture<Resource> view = future.toCompletableFuture();
        future.abandon(); // nothing to release: the release function would fail on null
        Resource late = new Resource("late");
        Recorder callback = new Recorder(IoFuture.create());
        future.registerCallback(() -> callback.invocations.incrementAndGet());
        assertThat(future.setResult(late)).isTrue();
        assertThat(late.releases).as("nobody will take it").isEqualTo(1);
        assertThat(callback.invocations).as("the completion is still heard of").hasValue(1);
        assertThat(view).as("nor is the released result handed out").isCompletedExceptionally();
    }

    @Test
    void nullIsAResultAndIsNeverReleased() {
        IoFuture<Resource> future = IoFuture.owning(Resource.RELEASE);
        future.setResult(null);
        assertThat(future.isDone()).isTrue();
        assertThat(future.error()).isNull();
        assertThat(future.result()).isNull();
        future.abandon();
        assertThat(future.setResult(null)).isFalse();
    }

    @Test
    void theFirstResultWinsAndLaterOnesAreReleased() {
        IoFuture<Resource> future = IoFuture.owning(Resource.RELEASE);
        Resource first = new Resource("1");
        Resource second = new Resource("2");
        Resource third = new Resource("3");
        assertThat(future.setResult(first)).isTrue();
        assertThat(future.setResult(second)).isFalse();
        assertThat(future.result()).isSameAs(first);
        assertThat(second.releases).isEqualTo(1);
        assertThat(future.setResult(third)).isFalse();
        assertThat(third.releases).isEqualTo(1);
        assertThat(future.setError(IoError.STREAM_READ_FAILED)).as("an error after a result is ignored").isFalse();
        assertThat(future.error()).isNull();
        assertThat(future.result()).isSameAs(first);
        assertThat(first.releases).isZero();
        future.abandon();
        assertThat(first.releases).isEqualTo(1);
    }

    @Test
    void theFirstErrorWinsAndLaterResultsAreReleased() {
        IoFuture<Resource> future = IoFuture.owning(Resource.RELEASE);
        assertThat(future.setError(IoError.STREAM_READ_FAILED)).isTrue();
        assertThat(future.isDone()).isTrue();
        assertThat(future.error()).isEqualTo(IoError.STREAM_READ_FAILED);
        assertThat(future.setError(IoError.SOCKET_CLOSED)).isFalse();
        assertThat(future.error()).isEqualTo(IoError.STREAM_READ_FAILED);
        Resource late = new Resource("late");
        assertThat(future.setResult(late)).isFalse();
        assertThat(late.releases).isEqualTo(1);
        assertThat(future.error()).isEqualTo(IoError.STREAM_READ_FAILED);
        assertThatThrownBy(future::result).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AWS_IO_STREAM_READ_FAILED");
    }

    // ---- beyond aws-c-io's tests: what aws-c-io makes fatal, and the Java forms ----

    @Test
    void errorAndResultAreReadOnlyOnceDone() {
        IoFuture<String> future = IoFuture.create();
        assertThatThrownBy(future::error).isInstanceOf(IllegalStateException.class).hasMessage("the future is not done");
        assertThatThrownBy(future::result).isInstanceOf(IllegalStateException.class).hasMessage("the future is not done");
        assertThatThrownBy(future::takeResult).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSecondCallbackIsRefusedWhileTheFirstWaits() throws Exception {
        EpollEventLoop loop = runningLoop();
        IoFuture<String> future = IoFuture.create();
        List<String> ran = new ArrayList<>();
        future.registerCallback(() -> ran.add("first"));
        assertThatThrownBy(() -> future.registerCallback(() -> ran.add("second")))
                .isInstanceOf(IllegalStateException.class).hasMessage("the future already has a callback");
        assertThatThrownBy(() -> future.registerCallbackIfNotDone(() -> ran.add("second")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> future.registerCallback(loop, () -> ran.add("second")))
                .isInstanceOf(IllegalStateException.class);
        future.setResult("done");
        assertThat(ran).containsExactly("first");
        future.registerCallback(() -> ran.add("after done"));
        assertThat(ran).containsExactly("first", "after done");
    }

    @Test
    void getReturnsTheResultOrThrowsTheError() throws Exception {
        assertThat(IoFuture.completed("yes").get()).isEqualTo("yes");
        IoFuture<String> failed = IoFuture.failed(IoError.SOCKET_TIMEOUT);
        assertThatThrownBy(failed::get).isInstanceOf(IoErrorException.class)
                .satisfies(e -> assertThat(((IoErrorException) e).error()).isEqualTo(IoError.SOCKET_TIMEOUT));
        IllegalStateException why = new IllegalStateException("why");
        IoFuture<String> withCause = IoFuture.create();
        withCause.setError(IoError.STREAM_READ_FAILED, why);
        assertThatThrownBy(() -> withCause.get(WAIT)).isInstanceOf(IoErrorException.class).hasCause(why);
    }

    @Test
    void manyVirtualThreadsParkOnOneFutureAndAllWake() throws Exception {
        IoFuture<String> future = IoFuture.create();
        List<Thread> waiters = new ArrayList<>();
        AtomicInteger got = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            waiters.add(Thread.ofVirtual().start(() -> {
                try {
                    if (future.get().equals("go")) {
                        got.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        io.reseau.testing.WaitingThreads.awaitAll(waiters);
        future.setResult("go");
        for (Thread waiter : waiters) {
            waiter.join();
        }
        assertThat(got).hasValue(1000);
    }

    @Test
    void toCompletableFutureCompletesAsTheFutureDoes() throws Exception {
        IoFuture<String> future = IoFuture.create();
        CompletableFuture<String> before = future.toCompletableFuture();
        assertThat(before).isNotDone();
        future.setResult("value");
        assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo("value");
        assertThat(future.toCompletableFuture().getNow("not yet")).as("made after completion").isEqualTo("value");

        IoFuture<String> failing = IoFuture.create();
        CompletableFuture<String> view = failing.toCompletableFuture();
        failing.setError(IoError.DNS_QUERY_FAILED);
        assertThatThrownBy(() -> view.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IoErrorException.class).hasMessageContaining("AWS_IO_DNS_QUERY_FAILED");
    }

    @Test
    void cancellingACompletableFutureViewLeavesTheFutureAlone() {
        IoFuture<String> future = IoFuture.create();
        CompletableFuture<String> cancelled = future.toCompletableFuture();
        CompletableFuture<String> other = future.toCompletableFuture();
        cancelled.cancel(true);
        assertThat(future.isDone()).isFalse();
        future.setResult("still");
        assertThat(other.getNow(null)).isEqualTo("still");
        assertThat(future.result()).isEqualTo("still");
    }

    @Test
    void fromACompletionStage() throws Exception {
        CompletableFuture<String> succeeding = new CompletableFuture<>();
        IoFuture<String> succeeded = IoFuture.from(succeeding);
        assertThat(succeeded.isDone()).isFalse();
        succeeding.complete("ok");
        assertThat(succeeded.get()).isEqualTo("ok");

        IoErrorException refused = new IoErrorException(IoError.SOCKET_CONNECTION_REFUSED, "connect");
        IoFuture<String> ioFailure = IoFuture.from(CompletableFuture.failedFuture(refused));
        assertThat(ioFailure.error()).isEqualTo(IoError.SOCKET_CONNECTION_REFUSED);
        assertThatThrownBy(ioFailure::get).isInstanceOf(IoErrorException.class).hasCause(refused);

        IllegalArgumentException bug = new IllegalArgumentException("bug");
        IoFuture<String> other = IoFuture.from(CompletableFuture.<String>supplyAsync(() -> {
            throw bug;
        }));
        assertThatThrownBy(() -> other.get(WAIT)).isInstanceOf(IoErrorException.class).hasCause(bug);
        assertThat(other.error()).isEqualTo(IoError.UNKNOWN);

        CompletableFuture<String> cancelling = new CompletableFuture<>();
        IoFuture<String> cancelled = IoFuture.from(cancelling);
        cancelling.cancel(false);
        assertThat(cancelled.error()).isEqualTo(IoError.OPERATION_CANCELLED);
    }
}
