package io.reseau.eventloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.internal.ffi.NativePipe;
import io.reseau.testing.LogCapture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The behaviours behind aws-c-io's event_loop_test.c, on real pipes and eventfds. */
@Timeout(30)
class EpollEventLoopTest {
    private EpollEventLoop loop;
    private final List<NativePipe> pipes = new ArrayList<>();

    @BeforeEach
    void startLoop() throws Exception {
        loop = new EpollEventLoop("test-loop");
        loop.start();
    }

    @AfterEach
    void destroyLoop() {
        loop.destroy();
        pipes.forEach(NativePipe::close);
    }

    private NativePipe pipe() {
        NativePipe pipe = new NativePipe();
        pipes.add(pipe);
        return pipe;
    }

    /** Runs on the loop thread and returns the result there. */
    private <T> T onLoop(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.scheduleNow(new Task("on-loop", status -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }));
        return result.get(10, TimeUnit.SECONDS);
    }

    /**
     * Waits until the loop has completed two full ticks after this call: any I/O event that was
     * ready when we got here has been dispatched by then (it is fetched in the same epoll_wait as
     * the wake-up, and dispatched before tasks run).
     */
    private void settle() throws Exception {
        onLoop(() -> null);
        onLoop(() -> null);
    }

    @Test
    void crossThreadScheduledTasksExecuteOnTheLoopThread() throws Exception {
        CompletableFuture<Boolean> onThread = new CompletableFuture<>();
        loop.scheduleNow(new Task("x", status -> onThread.complete(status == TaskStatus.RUN_READY && loop.isOnLoopThread())));
        assertThat(onThread.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.isOnLoopThread()).isFalse();
    }

    @Test
    void futureTasksRunNoEarlierThanTheirTimeAndInTimeOrder() throws Exception {
        BlockingQueue<String> ran = new LinkedBlockingQueue<>();
        long start = loop.currentTimeNanos();
        loop.scheduleFuture(new Task("later", s -> ran.add("later@" + (loop.currentTimeNanos() - start >= 60_000_000L))),
                start + 60_000_000L);
        loop.scheduleFuture(new Task("sooner", s -> ran.add("sooner@" + (loop.currentTimeNanos() - start >= 30_000_000L))),
                start + 30_000_000L);
        assertThat(ran.poll(5, TimeUnit.SECONDS)).isEqualTo("sooner@true");
        assertThat(ran.poll(5, TimeUnit.SECONDS)).isEqualTo("later@true");
    }

    @Test
    void cancelledTasksRunOnTheLoopThread() throws Exception {
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        Task far = new Task("far", status -> cancelled.complete(status + " on loop thread: " + loop.isOnLoopThread()));
        loop.scheduleFuture(far, loop.currentTimeNanos() + TimeUnit.HOURS.toNanos(1));
        settle();
        onLoop(() -> {
            loop.cancel(far);
            return null;
        });
        assertThat(cancelled.get(5, TimeUnit.SECONDS)).isEqualTo("CANCELED on loop thread: true");
    }

    @Test
    void destroyCancelsPendingTasksWhichSeeThemselvesOnTheLoopThread() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        loop.scheduleFuture(new Task("timed", status -> seen.add("timed " + status + " " + loop.isOnLoopThread())),
                loop.currentTimeNanos() + TimeUnit.HOURS.toNanos(1));
        settle();
        loop.stop();
        loop.waitForStopCompletion();
        // The loop is stopped: this one stays in the cross-thread queue.
        loop.scheduleNow(new Task("queued", status -> seen.add("queued " + status + " " + loop.isOnLoopThread())));
        loop.destroy();
        assertThat(seen).containsExactlyInAnyOrder("timed CANCELED true", "queued CANCELED true");
        assertThat(loop.isOnLoopThread()).isFalse();
        // Afterwards, tasks are cancelled at once on the caller.
        List<String> late = new ArrayList<>();
        loop.scheduleNow(new Task("late", status -> late.add(status.name())));
        assertThat(late).containsExactly("CANCELED");
        assertThatThrownBy(() -> loop.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void cancelAlsoReachesATaskStillInTheCrossThreadQueue() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch queued = new CountDownLatch(1);
        List<TaskStatus> statuses = Collections.synchronizedList(new ArrayList<>());
        Task victim = new Task("victim", statuses::add);
        loop.scheduleNow(new Task("canceller", status -> {
            blocked.countDown();
            await(queued);
            loop.cancel(victim); // victim sits in the cross-thread queue, not yet drained
        }));
        blocked.await();
        loop.scheduleNow(victim);
        queued.countDown();
        settle();
        assertThat(statuses).containsExactly(TaskStatus.CANCELED);
    }

    @Test
    void cancelOffTheLoopThreadIsRefused() {
        assertThatThrownBy(() -> loop.cancel(new Task("t", s -> {})))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AWS_ERROR_IO_EVENT_LOOP_THREAD_ONLY");
    }

    @Test
    void subscribeAndUnsubscribe() throws Exception {
        NativePipe pipe = pipe();
        IoHandle read = new IoHandle(pipe.readFd);
        IoHandle write = new IoHandle(pipe.writeFd);
        loop.subscribe(read, IoEvents.READABLE, (l, h, e) -> {});
        loop.subscribe(write, IoEvents.WRITABLE, (l, h, e) -> {});
        assertThat(read.isSubscribed()).isTrue();
        onLoop(() -> {
            loop.unsubscribe(read);
            loop.unsubscribe(write);
            return null;
        });
        assertThat(read.isSubscribed()).isFalse();
        assertThat(write.isSubscribed()).isFalse();
    }

    @Test
    void subscriptionMisuseFailsClearly() throws Exception {
        NativePipe pipe = pipe();
        IoHandle read = new IoHandle(pipe.readFd);
        assertThatThrownBy(() -> loop.subscribe(read, IoEvents.CLOSED, (l, h, e) -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("READABLE and WRITABLE");
        loop.subscribe(read, IoEvents.READABLE, (l, h, e) -> {});
        assertThatThrownBy(() -> loop.subscribe(read, IoEvents.READABLE, (l, h, e) -> {}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AWS_ERROR_IO_ALREADY_SUBSCRIBED");
        assertThatThrownBy(() -> loop.unsubscribe(read))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AWS_ERROR_IO_EVENT_LOOP_THREAD_ONLY");
        IoHandle never = new IoHandle(pipe.writeFd);
        assertThat(onLoopFailure(() -> loop.unsubscribe(never))).hasMessageContaining("AWS_ERROR_IO_NOT_SUBSCRIBED");
        IoHandle closed = new IoHandle(999_999);
        assertThatThrownBy(() -> loop.subscribe(closed, IoEvents.READABLE, (l, h, e) -> {}))
                .hasMessageContaining("EBADF").hasMessageContaining("AWS_ERROR_SYS_CALL_FAILURE");
        assertThat(closed.isSubscribed()).as("a failed subscribe leaves the handle free").isFalse();
    }

    @Test
    void modifyingASubscriptionChangesTheEventsReportedToTheSameListener() throws Exception {
        NativePipe pipe = pipe();
        IoHandle write = new IoHandle(pipe.writeFd);
        BlockingQueue<Integer> events = new LinkedBlockingQueue<>();
        loop.subscribe(write, IoEvents.READABLE, (l, h, e) -> events.add(e));
        settle();
        assertThat(events).as("a pipe's write end is never readable").isEmpty();
        onLoop(() -> {
            loop.modifySubscription(write, IoEvents.READABLE | IoEvents.WRITABLE);
            return null;
        });
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(IoEvents.WRITABLE);
    }

    @Test
    void modifyingASubscriptionIsCheckedLikeSubscribing() throws Exception {
        NativePipe pipe = pipe();
        IoHandle read = new IoHandle(pipe.readFd);
        assertThat(onLoopFailure(() -> loop.modifySubscription(read, IoEvents.READABLE)))
                .hasMessageContaining("AWS_ERROR_IO_NOT_SUBSCRIBED");
        loop.subscribe(read, IoEvents.READABLE, (l, h, e) -> {});
        assertThatThrownBy(() -> loop.modifySubscription(read, IoEvents.WRITABLE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AWS_ERROR_IO_EVENT_LOOP_THREAD_ONLY");
        assertThat(onLoopFailure(() -> loop.modifySubscription(read, IoEvents.CLOSED)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("READABLE and WRITABLE");
    }

    @Test
    void aLoopThatNeverSpinsStillRunsTasksAndDeliversEvents() throws Exception {
        assertThatThrownBy(() -> new EpollEventLoop("negative", io.reseau.common.NanoClock.SYSTEM, java.time.Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        EpollEventLoop blocking = new EpollEventLoop("no-spin", io.reseau.common.NanoClock.SYSTEM, java.time.Duration.ZERO);
        try {
            blocking.start();
            NativePipe pipe = pipe();
            BlockingQueue<Integer> events = new LinkedBlockingQueue<>();
            blocking.subscribe(new IoHandle(pipe.readFd), IoEvents.READABLE, (l, h, e) -> events.add(e));
            CountDownLatch ran = new CountDownLatch(1);
            blocking.scheduleNow(new Task("no-spin-task", status -> ran.countDown()));
            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
            pipe.write(new byte[] {1});
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(IoEvents.READABLE);
        } finally {
            blocking.destroy();
        }
    }

    @Test
    void anIdleLoopSleepsInsteadOfSpinning() throws Exception {
        long loopThread = onLoop(() -> Thread.currentThread().threadId());
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        settle();
        long cpuBefore = threads.getThreadCpuTime(loopThread);
        long wallBefore = System.nanoTime();
        Thread.sleep(500); // the span measured, not a wait for anything: a CPU share needs a stretch of wall time
        long cpu = threads.getThreadCpuTime(loopThread) - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        // A loop that kept polling would burn its whole core; one that blocks burns next to nothing.
        assertThat(cpu).as("loop CPU time over %d ms idle", wall / 1_000_000).isLessThan(wall / 5);
    }

    @Test
    void writableEventOnSubscribe() throws Exception {
        NativePipe pipe = pipe();
        BlockingQueue<Integer> events = new LinkedBlockingQueue<>();
        loop.subscribe(new IoHandle(pipe.writeFd), IoEvents.WRITABLE, (l, h, e) -> events.add(e));
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(IoEvents.WRITABLE);
    }

    @Test
    void noReadableEventBeforeWrite() throws Exception {
        NativePipe pipe = pipe();
        AtomicInteger events = new AtomicInteger();
        loop.subscribe(new IoHandle(pipe.readFd), IoEvents.READABLE, (l, h, e) -> events.incrementAndGet());
        settle();
        assertThat(events).hasValue(0);
    }

    @Test
    void readableEventAfterWrite() throws Exception {
        NativePipe pipe = pipe();
        BlockingQueue<Integer> events = new LinkedBlockingQueue<>();
        loop.subscribe(new IoHandle(pipe.readFd), IoEvents.READABLE, (l, h, e) -> events.add(e));
        settle();
        pipe.write(new byte[] {1, 2, 3});
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(IoEvents.READABLE);
        assertThat(pipe.read(16)).containsExactly(1, 2, 3);
    }

    @Test
    void readableEventOnSubscribeIfDataIsPresent() throws Exception {
        NativePipe pipe = pipe();
        pipe.write(new byte[] {9});
        BlockingQueue<Integer> events = new LinkedBlockingQueue<>();
        loop.subscribe(new IoHandle(pipe.readFd), IoEvents.READABLE, (l, h, e) -> events.add(e));
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(IoEvents.READABLE);
    }

    @Test
    void readableAgainOnTheSecondTimeItBecomesReadable() throws Exception {
        NativePipe pipe = pipe();
        BlockingQueue<byte[]> reads = new LinkedBlockingQueue<>();
        loop.subscribe(new IoHandle(pipe.readFd), IoEvents.READABLE, (l, h, e) -> {
            // Edge-triggered: drain until the pipe is empty, or the next write raises no event.
            byte[] chunk;
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            while ((chunk = pipe.read(2)).length > 0) {
                all.writeBytes(chunk);
            }
            reads.add(all.toByteArray());
        });
        pipe.write(new byte[] {1, 2, 3, 4, 5});
        assertThat(reads.poll(5, TimeUnit.SECONDS)).containsExactly(1, 2, 3, 4, 5);
        pipe.write(new byte[] {6});
        assertThat(reads.poll(5, TimeUnit.SECONDS)).containsExactly(6);
    }

    @Test
    void noEventsAfterUnsubscribe() throws Exception {
        NativePipe pipe = pipe();
        AtomicInteger events = new AtomicInteger();
        IoHandle read = new IoHandle(pipe.readFd);
        loop.subscribe(read, IoEvents.READABLE, (l, h, e) -> {
            events.incrementAndGet();
            try {
                l.unsubscribe(h);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            pipe.read(16);
            pipe.write(new byte[] {2}); // would raise a new edge if still subscribed
        });
        pipe.write(new byte[] {1});
        settle();
        settle();
        assertThat(events).hasValue(1);
    }

    @Test
    void noEventAfterUnsubscribeEvenWhenAlreadyFetchedInTheSameTick() throws Exception {
        NativePipe first = pipe();
        NativePipe second = pipe();
        IoHandle a = new IoHandle(first.readFd);
        IoHandle b = new IoHandle(second.readFd);
        List<String> called = Collections.synchronizedList(new ArrayList<>());
        loop.subscribe(a, IoEvents.READABLE, (l, h, e) -> {
            called.add("a");
            unsubscribeQuietly(l, b);
        });
        loop.subscribe(b, IoEvents.READABLE, (l, h, e) -> {
            called.add("b");
            unsubscribeQuietly(l, a);
        });
        settle();
        // Hold the loop in a task while both pipes become readable: the next epoll_wait
        // returns both events in one batch, and whichever listener runs first unsubscribes the other.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.scheduleNow(new Task("hold", s -> {
            holding.countDown();
            await(release);
        }));
        holding.await();
        first.write(new byte[] {1});
        second.write(new byte[] {1});
        release.countDown();
        settle();
        assertThat(called).hasSize(1);
    }

    @Test
    void stopThenRestart() throws Exception {
        assertThat(onLoop(() -> "first run")).isEqualTo("first run");
        loop.stop();
        loop.waitForStopCompletion();
        CompletableFuture<String> whileStopped = new CompletableFuture<>();
        loop.scheduleNow(new Task("queued while stopped", s -> whileStopped.complete(s.name())));
        assertThat(whileStopped).isNotDone();
        loop.start();
        assertThat(whileStopped.get(5, TimeUnit.SECONDS)).isEqualTo("RUN_READY");
        assertThat(onLoop(() -> "second run")).isEqualTo("second run");
    }

    @Test
    void multipleStopsAreHarmless() throws Exception {
        loop.stop();
        loop.stop();
        loop.stop();
        loop.waitForStopCompletion();
        loop.stop(); // not running: nothing to stop, and nothing left queued for the next start
        loop.start();
        assertThat(onLoop(() -> "running")).isEqualTo("running");
        assertThatThrownBy(loop::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
    }

    @Test
    void serializedSchedulingKeepsSubmissionOrderEvenFromTheLoopThread() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(4);
        onLoop(() -> {
            // Serialized tasks keep their order; a plain "now" task from the loop thread goes
            // straight to the scheduler and jumps ahead of them.
            loop.scheduleNowSerialized(new Task("s1", s -> { order.add("s1"); done.countDown(); }));
            loop.scheduleNowSerialized(new Task("s2", s -> { order.add("s2"); done.countDown(); }));
            loop.scheduleNow(new Task("direct", s -> { order.add("direct"); done.countDown(); }));
            loop.scheduleNowSerialized(new Task("s3", s -> { order.add("s3"); done.countDown(); }));
            return null;
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("direct", "s1", "s2", "s3");
    }

    @Test
    void aFailingTaskOrListenerIsReportedAndDoesNotStopTheLoop() throws Exception {
        try (LogCapture loopLog = LogCapture.of(EpollEventLoop.class);
                LogCapture schedulerLog = LogCapture.of(TaskScheduler.class)) {
            loop.scheduleNow(new Task("boom", s -> {
                throw new IllegalStateException("deliberate");
            }));
            NativePipe pipe = pipe();
            CountDownLatch listenerRan = new CountDownLatch(1);
            loop.subscribe(new IoHandle(pipe.writeFd), IoEvents.WRITABLE, (l, h, e) -> {
                listenerRan.countDown();
                throw new IllegalStateException("deliberate");
            });
            assertThat(listenerRan.await(5, TimeUnit.SECONDS)).isTrue();
            // Queued after the listener threw: the loop reported that before it runs this.
            assertThat(onLoop(() -> "still running")).isEqualTo("still running");
            assertThat(schedulerLog.entries()).containsExactly("SEVERE task 'boom' failed: deliberate");
            assertThat(loopLog.entries()).containsExactly("SEVERE test-loop: I/O event listener of IoHandle[fd="
                    + pipe.writeFd + "] failed: deliberate");
        }
    }

    @Test
    void executeRunsRunnablesInOrder() throws Exception {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            int n = i;
            loop.execute(() -> {
                order.add(n);
                done.countDown();
            });
        }
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).isSorted().hasSize(100);
    }

    @Test
    void aLoopCannotDestroyOrJoinItself() throws Exception {
        Throwable destroy = onLoopFailure(loop::destroy);
        assertThat(destroy).isInstanceOf(IllegalStateException.class).hasMessageContaining("own thread");
        Throwable join = onLoopFailure(loop::waitForStopCompletion);
        assertThat(join).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void eventLoopLocalsAreCreatedOncePerLoopAndReleasedOnDestroy() throws Exception {
        List<String> released = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger created = new AtomicInteger();
        EventLoopLocal<StringBuilder> local = new EventLoopLocal<>(
                l -> new StringBuilder(l.name() + "#" + created.incrementAndGet()), v -> released.add(v.toString()));
        assertThat(onLoop(() -> local.get(loop) == local.get(loop))).isTrue();
        assertThat(onLoop(() -> local.get(loop).toString())).isEqualTo("test-loop#1");
        assertThatThrownBy(() -> local.get(loop)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AWS_ERROR_IO_EVENT_LOOP_THREAD_ONLY");
        EpollEventLoop other = new EpollEventLoop("other-loop");
        other.start();
        CompletableFuture<String> otherValue = new CompletableFuture<>();
        other.scheduleNow(new Task("read", s -> otherValue.complete(local.get(other).toString())));
        assertThat(otherValue.get(5, TimeUnit.SECONDS)).isEqualTo("other-loop#2");
        other.destroy();
        assertThat(released).containsExactly("other-loop#2");
        loop.destroy();
        assertThat(released).containsExactly("other-loop#2", "test-loop#1");
    }

    @Test
    void subscribeOnADestroyedLoopIsRefused() {
        loop.destroy();
        NativePipe pipe = pipe();
        IoHandle handle = new IoHandle(pipe.readFd);
        assertThatThrownBy(() -> loop.subscribe(handle, IoEvents.READABLE, (l, h, e) -> {}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("destroyed");
        assertThat(handle.isSubscribed()).isFalse();
        assertThatThrownBy(loop::start).isInstanceOf(IllegalStateException.class);
    }

    private interface Action {
        void run() throws Exception;
    }

    private Throwable onLoopFailure(Action action) throws Exception {
        return onLoop(() -> {
            try {
                action.run();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
    }

    private static void unsubscribeQuietly(EventLoop loop, IoHandle handle) {
        try {
            loop.unsubscribe(handle);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
