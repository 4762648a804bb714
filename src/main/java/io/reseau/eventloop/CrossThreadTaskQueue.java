package io.reseau.eventloop;

import java.util.ArrayList;
import java.util.Objects;

/**
 * The locked hand-off through which other threads give tasks to a scheduler's thread (aws-c-io's
 * "cross-thread pre-queue"). The consumer is woken only when the queue goes from empty to
 * non-empty: one wake-up covers every task queued before the consumer drains.
 */
final class CrossThreadTaskQueue {
    private final Object lock = new Object();
    private final Runnable wakeConsumer;
    private ArrayList<Task> queued = new ArrayList<>();
    private ArrayList<Task> draining = new ArrayList<>();
    private boolean closed;

    /**
     * @param wakeConsumer called when the first task arrives in an empty queue, under the queue's
     *     lock: {@link #close} waits for it, so the consumer may free what the wake-up touches (an
     *     eventfd) once the queue is closed
     */
    public CrossThreadTaskQueue(Runnable wakeConsumer) {
        this.wakeConsumer = Objects.requireNonNull(wakeConsumer, "wakeConsumer");
    }

    /**
     * Queues a task to run as soon as possible. A closed queue takes nothing: the task runs at once,
     * on the calling thread, with {@link TaskStatus#CANCELED}.
     */
    public void offerNow(Task task) {
        offer(task, false, 0);
    }

    /** Queues a task to run at {@code timeNanos}; a closed queue cancels it at once, as {@link #offerNow}. */
    public void offerAt(Task task, long timeNanos) {
        offer(task, true, timeNanos);
    }

    /** Schedules every queued task on {@code scheduler}, in the order they were queued. Consumer only. */
    public void drainInto(TaskScheduler scheduler) {
        ArrayList<Task> tasks;
        synchronized (lock) {
            tasks = queued;
            queued = draining;
            draining = tasks;
        }
        for (Task task : tasks) {
            if (task.timed) {
                scheduler.enqueueAt(task, task.timestamp);
            } else {
                scheduler.enqueueNow(task);
            }
        }
        tasks.clear();
    }

    /** Whether tasks wait to be drained: what a consumer checks before it goes to sleep. */
    public boolean hasQueued() {
        synchronized (lock) {
            return !queued.isEmpty();
        }
    }

    /** Refuses further tasks and moves the queued ones to {@code scheduler}, in order. */
    public void close(TaskScheduler scheduler) {
        synchronized (lock) {
            closed = true;
        }
        drainInto(scheduler);
    }

    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private void offer(Task task, boolean timed, long timeNanos) {
        task.markScheduled();
        synchronized (lock) {
            if (!closed) {
                task.timed = timed;
                task.timestamp = timeNanos;
                queued.add(task);
                if (queued.size() == 1) {
                    wakeConsumer.run();
                }
                return;
            }
        }
        task.run(TaskStatus.CANCELED);
    }
}
