package io.reseau.eventloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EventLoopGroupTest {

    @Test
    void setupAndShutdown() throws Exception {
        AtomicInteger callbacks = new AtomicInteger();
        EventLoopGroup group = new EventLoopGroup(EventLoopGroupOptions.withLoopCount(3)
                .threadNamePrefix("group-test-").onShutdownComplete(callbacks::incrementAndGet));
        assertThat(group.loopCount()).isEqualTo(3);
        Set<String> threadNames = new HashSet<>();
        for (EventLoop loop : group.loops()) {
            CompletableFuture<Thread> thread = new CompletableFuture<>();
            loop.scheduleNow(new Task("who", s -> thread.complete(Thread.currentThread())));
            Thread t = thread.get(5, TimeUnit.SECONDS);
            assertThat(t.isDaemon()).isTrue();
            assertThat(t.isVirtual()).isFalse();
            threadNames.add(t.getName());
        }
        assertThat(threadNames).containsExactlyInAnyOrder("group-test-1", "group-test-2", "group-test-3");

        group.close();
        assertThat(group.isTerminated()).isTrue();
        assertThat(callbacks).hasValue(1);
        assertThat(liveThreadsNamed("group-test-")).isZero();
    }

    @Test
    void asyncShutdownCompletesOnceAndCancelsPendingTasks() throws Exception {
        AtomicInteger callbacks = new AtomicInteger();
        EventLoopGroup group = new EventLoopGroup(EventLoopGroupOptions.withLoopCount(2)
                .onShutdownComplete(callbacks::incrementAndGet));
        CompletableFuture<String> pending = new CompletableFuture<>();
        EventLoop loop = group.loopAt(0);
        loop.scheduleFuture(new Task("far", s -> pending.complete(s.name())),
                loop.currentTimeNanos() + TimeUnit.HOURS.toNanos(1));
        CompletableFuture<Void> first = group.shutdown();
        CompletableFuture<Void> second = group.shutdown();
        assertThat(second).isSameAs(first);
        first.get(10, TimeUnit.SECONDS);
        assertThat(pending.get()).isEqualTo("CANCELED");
        assertThat(callbacks).hasValue(1);
    }

    @Test
    void aLoopThreadMayShutDownItsOwnGroupButNotWaitForIt() throws Exception {
        EventLoopGroup group = new EventLoopGroup(1);
        CompletableFuture<Throwable> closeAttempt = new CompletableFuture<>();
        CompletableFuture<CompletableFuture<Void>> shutdown = new CompletableFuture<>();
        group.loopAt(0).scheduleNow(new Task("self", s -> {
            try {
                group.close();
                closeAttempt.complete(null);
            } catch (Throwable t) {
                closeAttempt.complete(t);
            }
            shutdown.complete(group.shutdown());
        }));
        assertThat(closeAttempt.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
        shutdown.get(5, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        assertThat(group.isTerminated()).isTrue();
    }

    @Test
    void defaultSizeIsHalfTheProcessorsAtLeastOne() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup()) {
            assertThat(group.loopCount()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        }
    }

    @Test
    void nextLoopSpreadsOverEveryLoopOfTheGroup() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(4)) {
            Set<EventLoop> picked = new HashSet<>();
            for (int i = 0; i < 1_000; i++) {
                EventLoop loop = group.nextLoop();
                assertThat(group.contains(loop)).isTrue();
                picked.add(loop);
            }
            assertThat(picked).hasSize(4);
        }
    }

    @Test
    void idleLoopsTakeTurns() throws Exception {
        // Connections opened within one second see the same published loads: a client and the
        // server end it reaches must still land on different loops.
        try (EventLoopGroup group = new EventLoopGroup(3)) {
            Map<EventLoop, Integer> picks = new HashMap<>();
            EventLoop previous = null;
            for (int i = 0; i < 300; i++) {
                EventLoop loop = group.nextLoop();
                assertThat(loop).isNotSameAs(previous);
                picks.merge(loop, 1, Integer::sum);
                previous = loop;
            }
            assertThat(picks.values()).containsOnly(100);
        }
    }

    @Test
    void nextLoopAvoidsABusyLoop() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(2)) {
            EventLoop busy = group.loopAt(0);
            // Keep loop 0 busy for over a second so it publishes a high load; loop 1 stays idle.
            CountDownLatch published = new CountDownLatch(1);
            long until = System.nanoTime() + 1_300_000_000L;
            busy.scheduleNow(new Task("spin", s -> {
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                published.countDown();
            }));
            published.await();
            CompletableFuture<Void> tick = new CompletableFuture<>();
            busy.scheduleNow(new Task("tick", s -> tick.complete(null)));
            tick.get(5, TimeUnit.SECONDS);
            assertThat(busy.loadFactor()).isPositive();
            for (int i = 0; i < 100; i++) {
                assertThat(group.nextLoop()).isSameAs(group.loopAt(1));
            }
        }
    }

    @Test
    void badOptionsAreRejected() {
        assertThatThrownBy(() -> EventLoopGroupOptions.withLoopCount(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopCount");
    }

    private static long liveThreadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }
}
