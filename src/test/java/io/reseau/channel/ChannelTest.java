package io.reseau.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoError;
import io.reseau.eventloop.EpollEventLoop;
import io.reseau.eventloop.ManualEventLoop;
import io.reseau.eventloop.TaskStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The behaviours behind aws-c-io's channel_test.c. */
@Timeout(30)
class ChannelTest {

    @Test
    void setUpOnItsLoopThenAcceptsSlots() throws Exception {
        EpollEventLoop loop = new EpollEventLoop("channel-setup");
        loop.start();
        try {
            CompletableFuture<String> setup = new CompletableFuture<>();
            Channel channel = Channel.create(new ChannelOptions(loop,
                    (c, error) -> setup.complete(error + " on loop " + loop.isOnLoopThread() + " " + c.state()),
                    null, false));
            assertThat(setup.get(5, TimeUnit.SECONDS)).isEqualTo("null on loop true ACTIVE");
            assertThat(channel.firstSlot()).isNull();
            assertThat(channel.eventLoop()).isSameAs(loop);
        } finally {
            loop.destroy();
        }
    }

    @Test
    void setupOnALoopThatShutsDownFirstReportsEventLoopShutdown() {
        ManualEventLoop loop = new ManualEventLoop();
        List<IoError> setup = new ArrayList<>();
        Channel.create(new ChannelOptions(loop, (c, error) -> setup.add(error), null, false));
        loop.destroy();
        assertThat(setup).containsExactly(IoError.EVENT_LOOP_SHUTDOWN);
    }

    @Test
    void aSingleSlotShutsDownAndIsDestroyed() {
        TestingChannel testing = new TestingChannel(false);
        testing.channel.shutdown(null);
        testing.drain();
        assertThat(testing.isShutdownCompleted()).isTrue();
        assertThat(testing.shutdownError()).isNull();
        assertThat(testing.log).containsExactly("source READ ok", "source WRITE ok", "shutdown completed");
        testing.channel.destroy();
        assertThat(testing.source.destroyed).isTrue();
    }

    @Test
    void shutdownRunsReadsLeftToRightThenWritesRightToLeft() {
        TestingChannel testing = new TestingChannel(false);
        testing.installDownstream(new RecordingHandler("middle", testing.log));
        testing.installDownstream(new RecordingHandler("app", testing.log));
        testing.channel.shutdown(IoError.SOCKET_CLOSED);
        assertThat(testing.log).as("shutdown is asynchronous, even on the loop thread").isEmpty();
        testing.drain();
        assertThat(testing.log).containsExactly(
                "source READ SOCKET_CLOSED", "middle READ SOCKET_CLOSED", "app READ SOCKET_CLOSED",
                "app WRITE SOCKET_CLOSED", "middle WRITE SOCKET_CLOSED", "source WRITE SOCKET_CLOSED",
                "shutdown completed");
        assertThat(testing.shutdownError()).isEqualTo(IoError.SOCKET_CLOSED);
        assertThat(testing.channel.state()).isEqualTo(ChannelState.SHUT_DOWN);
        testing.channel.destroy();
        assertThat(testing.log).endsWith("source destroyed", "middle destroyed", "app destroyed");
    }

    @Test
    void aHandlerMayTakeItsTimeToShutDown() {
        TestingChannel testing = new TestingChannel(false);
        RecordingHandler slow = new RecordingHandler("slow", testing.log);
        slow.holdShutdown = true;
        testing.installDownstream(slow);
        testing.channel.shutdown(null);
        testing.drain();
        assertThat(testing.log).containsExactly("source READ ok", "slow READ ok");
        slow.holdShutdown = false;
        slow.completeHeldShutdown();
        testing.drain();
        assertThat(testing.log).endsWith("slow WRITE ok", "source WRITE ok", "shutdown completed");
        assertThat(testing.isShutdownCompleted()).isTrue();
    }

    @Test
    void onlyTheFirstShutdownCountsAndItsErrorWins() {
        TestingChannel testing = new TestingChannel(false);
        testing.channel.shutdown(IoError.SOCKET_TIMEOUT);
        testing.channel.shutdown(IoError.SOCKET_CLOSED);
        testing.loop.setOnLoopThread(false);
        testing.channel.shutdown(null);
        testing.loop.setOnLoopThread(true);
        testing.drain();
        assertThat(testing.log).containsExactly("source READ SOCKET_TIMEOUT", "source WRITE SOCKET_TIMEOUT",
                "shutdown completed");
        assertThat(testing.shutdownError()).isEqualTo(IoError.SOCKET_TIMEOUT);
    }

    @Test
    void destroyingBeforeShutdownIsRefused() {
        TestingChannel testing = new TestingChannel(false);
        assertThatThrownBy(testing.channel::destroy).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after its shutdown");
    }

    @Test
    void slotsCanBeInsertedRemovedAndReplaced() {
        TestingChannel testing = new TestingChannel(false);
        ChannelSlot b = testing.installDownstream(new RecordingHandler("b", testing.log));
        ChannelSlot a = testing.channel.newSlot();
        b.insertLeft(a);
        a.setHandler(new RecordingHandler("a", testing.log));
        ChannelSlot d = testing.channel.newSlot();
        b.insertRight(d);
        d.setHandler(new RecordingHandler("d", testing.log));
        assertThat(names(testing.channel)).containsExactly("source", "a", "b", "d");

        ChannelSlot c = testing.channel.newSlot();
        c.setHandler(new RecordingHandler("c", testing.log));
        b.replace(c);
        assertThat(names(testing.channel)).containsExactly("source", "a", "c", "d");
        assertThat(testing.log).containsExactly("b destroyed");
        a.remove();
        assertThat(names(testing.channel)).containsExactly("source", "c", "d");
        assertThat(testing.log).containsExactly("b destroyed", "a destroyed");
    }

    @Test
    void messageOverheadsAddUpFromTheLeft() {
        TestingChannel testing = new TestingChannel(false);
        testing.source.overhead = 0;
        RecordingHandler tls = new RecordingHandler("tls", testing.log);
        tls.overhead = 53;
        testing.installDownstream(tls);
        ChannelSlot app = testing.installDownstream(new RecordingHandler("app", testing.log));
        assertThat(app.upstreamMessageOverhead()).isEqualTo(53);
        IoMessage message = app.acquireMaxMessageForWrite();
        assertThat(message.capacity()).isEqualTo(16 * 1024 - 53);
        message.release();
    }

    @Test
    void writesTravelRightToLeftAndReadsLeftToRight() throws Exception {
        TestingChannel testing = new TestingChannel(false);
        RecordingHandler middle = new RecordingHandler("middle", testing.log);
        middle.passReadsOn = true;
        testing.installDownstream(middle);
        RecordingHandler app = new RecordingHandler("app", testing.log);
        ChannelSlot appSlot = testing.installDownstream(app);
        testing.pushRead(new byte[] {1, 2});
        assertThat(app.reads).containsExactly(new byte[] {1, 2});
        testing.pushWrite(appSlot, new byte[] {3});
        assertThat(middle.writes).containsExactly(new byte[] {3});
        assertThat(testing.source.writes).containsExactly(new byte[] {3});
    }

    @Test
    void tasksRunOnTheLoopFromAnyThread() throws Exception {
        TestingChannel testing = new TestingChannel(false);
        List<String> ran = new ArrayList<>();
        testing.channel.scheduleTaskNow(new ChannelTask("on-thread", s -> ran.add("on-thread " + s)));
        testing.loop.setOnLoopThread(false);
        testing.channel.scheduleTaskNow(new ChannelTask("off-thread", s -> ran.add("off-thread " + s)));
        testing.channel.scheduleTaskFuture(new ChannelTask("timed", s -> ran.add("timed " + s)), 1_000);
        testing.loop.setOnLoopThread(true);
        testing.drain();
        assertThat(ran).containsExactly("on-thread RUN_READY", "off-thread RUN_READY");
        testing.loop.advanceNanos(1_000);
        testing.drain();
        assertThat(ran).endsWith("timed RUN_READY");
    }

    @Test
    void serializedTasksKeepSubmissionOrder() throws Exception {
        EpollEventLoop loop = new EpollEventLoop("channel-serialized");
        loop.start();
        try {
            CompletableFuture<Channel> ready = new CompletableFuture<>();
            Channel channel = Channel.create(new ChannelOptions(loop, (c, e) -> ready.complete(c), null, false));
            ready.get(5, TimeUnit.SECONDS);
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                int n = i;
                channel.scheduleTaskNowSerialized(new ChannelTask("serialized", s -> {
                    order.add(n);
                    done.countDown();
                }));
            }
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(order).isSorted().hasSize(100);
        } finally {
            loop.destroy();
        }
    }

    @Test
    void pendingTasksAreCancelledBeforeShutdownCompletes() {
        TestingChannel testing = new TestingChannel(false);
        List<String> events = testing.log;
        testing.channel.scheduleTaskFuture(new ChannelTask("timed", s -> events.add("timed " + s)), 1_000_000);
        testing.loop.setOnLoopThread(false);
        testing.channel.scheduleTaskFuture(new ChannelTask("cross-thread timed", s -> events.add("xtimed " + s)), 1_000_000);
        testing.loop.setOnLoopThread(true);
        testing.channel.shutdown(null);
        testing.loop.runCurrentlyQueuedTasks(); // the cross-thread task is now pending on the loop
        testing.drain();
        assertThat(events.subList(events.size() - 3, events.size()))
                .containsExactlyInAnyOrder("timed CANCELED", "xtimed CANCELED", "shutdown completed");
        assertThat(events).last().isEqualTo("shutdown completed");
    }

    @Test
    void aCancelledTaskRunsAtOnceAsCancelledAndNeverAgain() {
        TestingChannel testing = new TestingChannel(false);
        List<String> events = new ArrayList<>();
        ChannelTask timed = new ChannelTask("timed", s -> events.add("timed " + s));
        testing.channel.scheduleTaskFuture(timed, 1_000);
        testing.loop.setOnLoopThread(false);
        ChannelTask crossing = new ChannelTask("crossing", s -> events.add("crossing " + s));
        testing.channel.scheduleTaskFuture(crossing, 1_000);
        testing.loop.setOnLoopThread(true);
        ChannelTask neverScheduled = new ChannelTask("never", s -> events.add("never " + s));

        testing.channel.cancelTask(timed);
        testing.channel.cancelTask(crossing); // still on its way from the other thread
        testing.channel.cancelTask(neverScheduled);
        assertThat(events).containsExactly("timed CANCELED", "crossing CANCELED");

        testing.loop.advanceNanos(1_000);
        testing.drain();
        testing.channel.shutdown(null);
        testing.drain();
        assertThat(events).containsExactly("timed CANCELED", "crossing CANCELED");
        testing.channel.scheduleTaskNow(timed); // reusable once it has run
        assertThat(events).last().isEqualTo("timed CANCELED");
    }

    @Test
    void crossThreadTasksStillQueuedWhenShutdownCompletesAreCancelledFirst() {
        TestingChannel testing = new TestingChannel(false);
        testing.source.holdShutdown = true;
        testing.channel.shutdown(null);
        testing.drain();
        testing.source.completeHeldShutdown(); // READ done; WRITE is next and held again
        testing.drain();
        assertThat(testing.log).containsExactly("source READ ok", "source WRITE ok");
        // Queued from "another thread" while the write direction is still shutting down.
        testing.loop.setOnLoopThread(false);
        testing.channel.scheduleTaskNow(new ChannelTask("late", s -> testing.log.add("late " + s)));
        testing.loop.setOnLoopThread(true);
        testing.source.holdShutdown = false;
        testing.source.completeHeldShutdown();
        testing.drain();
        assertThat(testing.log).endsWith("late CANCELED", "shutdown completed");
    }

    @Test
    void tasksScheduledAfterShutdownRunAtOnceAsCancelled() {
        TestingChannel testing = new TestingChannel(false);
        testing.channel.shutdown(null);
        testing.drain();
        List<TaskStatus> statuses = new ArrayList<>();
        testing.channel.scheduleTaskNow(new ChannelTask("on-thread", statuses::add));
        testing.channel.scheduleTaskFuture(new ChannelTask("timed", statuses::add), 5);
        testing.loop.setOnLoopThread(false);
        testing.channel.scheduleTaskNow(new ChannelTask("off-thread", statuses::add));
        assertThat(statuses).containsExactly(TaskStatus.CANCELED, TaskStatus.CANCELED, TaskStatus.CANCELED);
    }

    @Test
    void slotOperationsOffTheLoopThreadAreRefused() {
        TestingChannel testing = new TestingChannel(false);
        testing.loop.setOnLoopThread(false);
        assertThatThrownBy(testing.channel::newSlot).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AWS_ERROR_IO_EVENT_LOOP_THREAD_ONLY");
    }

    private static List<String> names(Channel channel) {
        List<String> names = new ArrayList<>();
        for (ChannelSlot slot = channel.firstSlot(); slot != null; slot = slot.right()) {
            names.add(((RecordingHandler) slot.handler()).name);
        }
        return names;
    }
}
