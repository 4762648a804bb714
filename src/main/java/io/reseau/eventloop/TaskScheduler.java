package io.reseau.eventloop;

import java.util.Arrays;

/**
 * aws-c-common's task scheduler, for one thread (an event loop's, or a test's): "now" tasks in FIFO
 * order, timed tasks by time and FIFO among equal times.
 *
 * <p>{@link #runAll} works on a snapshot: it takes every "now" task and every timed task already due,
 * then runs them, now tasks first; tasks scheduled while they run wait for the next call, so a task
 * that reschedules itself cannot starve I/O. {@link #cancel} runs the task at once with
 * {@link TaskStatus#CANCELED}, also when it was never scheduled. Not thread-safe.
 */
final class TaskScheduler {
    private static final System.Logger LOG = System.getLogger(TaskScheduler.class.getName());

    private final TaskList asap = new TaskList();
    private final TaskList running = new TaskList();
    private Task[] timed = new Task[16];
    private int timedCount;
    private long nextSequence;

    /** An empty scheduler, to be used from one thread. */
    public TaskScheduler() {}

    public void scheduleNow(Task task) {
        task.markScheduled();
        enqueueNow(task);
    }

    public void scheduleFuture(Task task, long timeNanos) {
        task.markScheduled();
        enqueueAt(task, timeNanos);
    }

    /** Removes the task if it is pending, then runs it with {@link TaskStatus#CANCELED}. */
    public void cancel(Task task) {
        if (task.list != null) {
            task.list.remove(task);
        } else if (task.heapIndex >= 0) {
            removeTimed(task.heapIndex);
        }
        runSafely(task, TaskStatus.CANCELED);
    }

    /** Runs the now tasks and the timed tasks due at {@code nowNanos}, as they were when called. */
    public void runAll(long nowNanos) {
        runAll(nowNanos, TaskStatus.RUN_READY);
    }

    public boolean hasTasks() {
        return !asap.isEmpty() || timedCount > 0;
    }

    /** When the next task is due: 0 with a now task pending, {@link Long#MAX_VALUE} with none. */
    public long nextTaskTime() {
        if (!asap.isEmpty()) {
            return 0;
        }
        return timedCount > 0 ? timed[0].timestamp : Long.MAX_VALUE;
    }

    /** Cancels every task, including tasks that cancelled tasks schedule. */
    public void cancelAll() {
        while (hasTasks()) {
            runAll(Long.MAX_VALUE, TaskStatus.CANCELED);
        }
    }

    // For a task a CrossThreadTaskQueue already marked scheduled.
    void enqueueNow(Task task) {
        task.timed = false;
        asap.addLast(task);
    }

    void enqueueAt(Task task, long timeNanos) {
        task.timed = true;
        task.timestamp = timeNanos;
        task.sequence = nextSequence++;
        if (timedCount == timed.length) {
            timed = Arrays.copyOf(timed, timedCount * 2);
        }
        place(task, timedCount++);
        siftUp(task.heapIndex);
    }

    private void runAll(long nowNanos, TaskStatus status) {
        running.takeAll(asap);
        while (timedCount > 0 && timed[0].timestamp <= nowNanos) {
            Task due = timed[0];
            removeTimed(0);
            running.addLast(due);
        }
        for (Task task = running.pollFirst(); task != null; task = running.pollFirst()) {
            runSafely(task, status);
        }
    }

    private static void runSafely(Task task, TaskStatus status) {
        try {
            task.run(status);
        } catch (Throwable t) {
            // One failing task must not take down the loop or the tasks queued behind it.
            LOG.log(System.Logger.Level.ERROR, "task '" + task.name() + "' failed", t);
        }
    }

    // Binary min-heap ordered by (timestamp, sequence); each task knows its index for O(log n) cancel.

    private void removeTimed(int index) {
        Task removed = timed[index];
        Task last = timed[--timedCount];
        timed[timedCount] = null;
        removed.heapIndex = -1;
        if (index < timedCount) {
            place(last, index);
            siftDown(index);
            siftUp(last.heapIndex);
        }
    }

    private void siftUp(int index) {
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (!before(timed[index], timed[parent])) {
                return;
            }
            swap(index, parent);
            index = parent;
        }
    }

    private void siftDown(int index) {
        while (true) {
            int smallest = index;
            int left = 2 * index + 1;
            int right = left + 1;
            if (left < timedCount && before(timed[left], timed[smallest])) {
                smallest = left;
            }
            if (right < timedCount && before(timed[right], timed[smallest])) {
                smallest = right;
            }
            if (smallest == index) {
                return;
            }
            swap(index, smallest);
            index = smallest;
        }
    }

    private static boolean before(Task a, Task b) {
        return a.timestamp < b.timestamp || (a.timestamp == b.timestamp && a.sequence < b.sequence);
    }

    private void swap(int i, int j) {
        Task a = timed[i];
        place(timed[j], i);
        place(a, j);
    }

    private void place(Task task, int index) {
        timed[index] = task;
        task.heapIndex = index;
    }
}
