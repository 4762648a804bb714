package io.reseau.eventloop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CrossThreadTaskQueueTest {
    private final AtomicInteger wakeUps = new AtomicInteger();
    private final CrossThreadTaskQueue queue = new CrossThreadTaskQueue(wakeUps::incrementAndGet);
    private final TaskScheduler scheduler = new TaskScheduler();
    private final List<String> log = new ArrayList<>();

    private Task recording(String name) {
        return new Task(name, status -> log.add(name + ":" + status));
    }

    @Test
    void onlyTheFirstTaskIntoAnEmptyQueueWakesTheConsumer() {
        queue.offerNow(recording("a"));
        queue.offerNow(recording("b"));
        queue.offerAt(recording("c"), 7);
        assertThat(wakeUps).hasValue(1);
        queue.drainInto(scheduler);
        queue.offerNow(recording("d"));
        assertThat(wakeUps).hasValue(2);
    }

    @Test
    void drainedTasksKeepTheirOrderAndTimes() {
        queue.offerAt(recording("timed"), 7);
        queue.offerNow(recording("first"));
        queue.offerNow(recording("second"));
        queue.drainInto(scheduler);
        scheduler.runAll(6);
        assertThat(log).containsExactly("first:RUN_READY", "second:RUN_READY");
        scheduler.runAll(7);
        assertThat(log).endsWith("timed:RUN_READY");
    }

    @Test
    void aTaskIsMarkedScheduledFromTheMomentItIsQueued() {
        Task task = recording("t");
        queue.offerNow(task);
        assertThat(task.isScheduled()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> queue.offerNow(task))
                .isInstanceOf(IllegalStateException.class);
        queue.drainInto(scheduler);
        scheduler.runAll(0);
        assertThat(task.isScheduled()).isFalse();
    }

    @Test
    void aClosedQueueHandsOverWhatItHeldAndCancelsNewTasksOnTheCaller() {
        queue.offerNow(recording("held"));
        queue.close(scheduler);
        assertThat(queue.isClosed()).isTrue();
        queue.offerNow(recording("late"));
        assertThat(log).containsExactly("late:CANCELED");
        scheduler.cancelAll();
        assertThat(log).containsExactly("late:CANCELED", "held:CANCELED");
    }
}
