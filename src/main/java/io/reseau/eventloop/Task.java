package io.reseau.eventloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A unit of work for an event loop (aws-c-io's {@code aws_task}): a named function run once per
 * scheduling, with {@link TaskStatus#RUN_READY} when its time comes or {@link TaskStatus#CANCELED}
 * when it is cancelled. A task may be scheduled again once it has started running (it may
 * reschedule itself); scheduling it while it is still pending is an error.
 */
public final class Task {
    private static final VarHandle SCHEDULED;

    static {
        try {
            SCHEDULED = MethodHandles.lookup().findVarHandle(Task.class, "scheduled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final TaskFunction function;
    @SuppressWarnings("unused") // accessed through SCHEDULED
    private volatile boolean scheduled;

    // Owned by the scheduler holding the task (one thread), or by a CrossThreadTaskQueue's lock.
    long timestamp;
    boolean timed;
    long sequence;
    int heapIndex = -1;
    TaskList list;
    Task previous;
    Task next;

    public Task(String name, TaskFunction function) {
        this.name = Objects.requireNonNull(name, "name");
        this.function = Objects.requireNonNull(function, "function");
    }

    public String name() {
        return name;
    }

    /** Whether the task waits in a scheduler or a cross-thread queue. */
    public boolean isScheduled() {
        return scheduled;
    }

    void markScheduled() {
        if (!SCHEDULED.compareAndSet(this, false, true)) {
            throw new IllegalStateException("task '" + name + "' is already scheduled");
        }
    }

    /** Runs the function; the task counts as unscheduled from here on, so it may reschedule itself. */
    void run(TaskStatus status) {
        scheduled = false;
        function.run(status);
    }

    @Override
    public String toString() {
        return "Task[" + name + (isScheduled() ? ", scheduled" : "") + "]";
    }
}
