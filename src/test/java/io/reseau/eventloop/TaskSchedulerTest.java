package io.reseau.eventloop;

import io.reseau.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TaskSchedulerTest {
    private final TaskScheduler scheduler = new TaskScheduler();
    private final List<String> log = new ArrayList<>();

    private Task recording(String name) {
        return new Task(name, status -> log.add(name + (status == TaskStatus.CANCELED ? ":canceled" : "")));
    }

    @Test
    void nowTasksRunInFifoOrder() {
        for (int i = 0; i < 5; i++) {
            scheduler.scheduleNow(recording("t" + i));
        }
        scheduler.runAll(0);
        assertThat(log).containsExactly("t0", "t1", "t2", "t3", "t4");
        assertThat(scheduler.hasTasks()).isFalse();
    }

    @Test
    void timedTasksRunByTimeAndFifoAmongEqualTimes() {
        scheduler.scheduleFuture(recording("late"), 30);
        for (int i = 0; i < 20; i++) {
            scheduler.scheduleFuture(recording("tie" + i), 20);
        }
        scheduler.scheduleFuture(recording("early"), 10);
        scheduler.runAll(100);
        List<String> expected = new ArrayList<>(List.of("early"));
        for (int i = 0; i < 20; i++) {
            expected.add("tie" + i);
        }
        expected.add("late");
        assertThat(log).isEqualTo(expected);
    }

    @Test
    void timedTasksWaitUntilDue() {
        scheduler.scheduleFuture(recording("due"), 50);
        scheduler.runAll(49);
        assertThat(log).isEmpty();
        assertThat(scheduler.nextTaskTime()).isEqualTo(50);
        scheduler.runAll(50);
        assertThat(log).containsExactly("due");
        assertThat(scheduler.nextTaskTime()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void nowTasksRunBeforeDueTimedTasks() {
        scheduler.scheduleFuture(recording("timed"), 5);
        scheduler.scheduleNow(recording("now"));
        assertThat(scheduler.nextTaskTime()).isZero();
        scheduler.runAll(10);
        assertThat(log).containsExactly("now", "timed");
    }

    @Test
    void tasksScheduledWhileRunningWaitForTheNextRun() {
        scheduler.scheduleNow(new Task("parent", status -> {
            log.add("parent");
            scheduler.scheduleNow(recording("child-now"));
            scheduler.scheduleFuture(recording("child-due"), 0);
        }));
        scheduler.runAll(10);
        assertThat(log).containsExactly("parent");
        scheduler.runAll(10);
        assertThat(log).containsExactly("parent", "child-now", "child-due");
    }

    @Test
    void aTaskMayRescheduleItselfWhileRunning() {
        int[] runs = {0};
        Task[] self = new Task[1];
        self[0] = new Task("again", status -> {
            if (++runs[0] < 3) {
                scheduler.scheduleNow(self[0]);
            }
        });
        scheduler.scheduleNow(self[0]);
        for (int i = 0; i < 5; i++) {
            scheduler.runAll(0);
        }
        assertThat(runs[0]).isEqualTo(3);
    }

    @Test
    void schedulingAPendingTaskIsAnError() {
        Task task = recording("once");
        scheduler.scheduleNow(task);
        assertThatThrownBy(() -> scheduler.scheduleFuture(task, 5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already scheduled");
        assertThat(task.isScheduled()).isTrue();
        scheduler.runAll(0);
        assertThat(task.isScheduled()).isFalse();
        assertThat(log).containsExactly("once");
    }

    @Test
    void cancelRunsTheTaskAtOnceAsCanceledAndNeverAgain() {
        Task now = recording("now");
        Task timed = recording("timed");
        scheduler.scheduleNow(now);
        scheduler.scheduleFuture(timed, 5);
        scheduler.cancel(now);
        scheduler.cancel(timed);
        assertThat(log).containsExactly("now:canceled", "timed:canceled");
        assertThat(scheduler.hasTasks()).isFalse();
        scheduler.runAll(100);
        assertThat(log).hasSize(2);
    }

    @Test
    void cancellingATaskThatWasNeverScheduledStillRunsIt() {
        scheduler.cancel(recording("stray"));
        assertThat(log).containsExactly("stray:canceled");
    }

    @Test
    void aTaskCancelledByAnotherInTheSameRunRunsOnlyAsCanceled() {
        Task victim = recording("victim");
        scheduler.scheduleNow(new Task("killer", status -> scheduler.cancel(victim)));
        scheduler.scheduleNow(victim);
        scheduler.runAll(0);
        assertThat(log).containsExactly("victim:canceled");
    }

    @Test
    void cancellingFromTheMiddleOfALargeHeapKeepsTheRestInOrder() {
        Random random = new Random(42);
        List<Task> tasks = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long time = random.nextInt(1000);
            Task task = new Task("t", status -> log.add(status + "@" + "x"));
            tasks.add(task);
            times.add(time);
            scheduler.scheduleFuture(task, time);
        }
        List<Long> ranAt = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i += 3) {
            scheduler.cancel(tasks.get(i));
        }
        // Drain one due time at a time and record when each remaining task ran.
        for (long now = 0; now < 1000; now++) {
            int before = log.size();
            scheduler.runAll(now);
            for (int k = before; k < log.size(); k++) {
                ranAt.add(now);
            }
        }
        assertThat(log.stream().filter(s -> s.startsWith("CANCELED"))).hasSize(167);
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            if (i % 3 != 0) {
                expected.add(times.get(i));
            }
        }
        expected.sort(null);
        assertThat(ranAt).isEqualTo(expected);
    }

    @Test
    void cancelAllCancelsTasksScheduledByCancelledTasks() {
        scheduler.scheduleFuture(new Task("parent", status -> {
            log.add("parent:" + status);
            scheduler.scheduleNow(new Task("child", s -> log.add("child:" + s)));
        }), 1_000);
        scheduler.scheduleNow(recording("sibling"));
        scheduler.cancelAll();
        assertThat(log).containsExactly("sibling:canceled", "parent:CANCELED", "child:CANCELED");
        assertThat(scheduler.hasTasks()).isFalse();
    }

    @Test
    void aFailingTaskIsReportedAndDoesNotStopTheOthers() {
        scheduler.scheduleNow(new Task("boom", status -> {
            throw new IllegalStateException("deliberate");
        }));
        scheduler.scheduleNow(recording("after"));
        try (LogCapture logged = LogCapture.of(TaskScheduler.class)) {
            scheduler.runAll(0);
            assertThat(logged.entries()).containsExactly("SEVERE task 'boom' failed: deliberate");
        }
        assertThat(log).containsExactly("after");
    }
}
