package io.reseau.eventloop;


/**
 * A deterministic event loop for handler tests (aws-c-io's testing event loop): no thread, no
 * I/O. Tasks run when the test says so, at the time the test sets, on the test's thread. The test
 * decides whether calls count as made on the loop thread ({@link #setOnLoopThread}); off-thread
 * calls queue like cross-thread ones do on a real loop.
 */
public final class ManualEventLoop implements EventLoop {
    private final TaskScheduler scheduler = new TaskScheduler();
    private final CrossThreadTaskQueue crossThread = new CrossThreadTaskQueue(() -> {});
    private final EventLoopLocals locals = new EventLoopLocals();
    private boolean onLoopThread = true;
    private long now;

    /** A loop at time 0 whose caller counts as its thread. */
    public ManualEventLoop() {}

    @Override
    public String name() {
        return "manual-loop";
    }

    @Override
    public long currentTimeNanos() {
        return now;
    }

    public void advanceNanos(long nanos) {
        now += nanos;
    }

    /** Whether calls from now on count as made on the loop's thread (default true). */
    public void setOnLoopThread(boolean onLoopThread) {
        this.onLoopThread = onLoopThread;
    }

    @Override
    public boolean isOnLoopThread() {
        return onLoopThread;
    }

    /** Runs what is queued and due now (one tick); tasks those tasks schedule wait. */
    public void runCurrentlyQueuedTasks() {
        boolean was = onLoopThread;
        onLoopThread = true;
        try {
            crossThread.drainInto(scheduler);
            scheduler.runAll(now);
        } finally {
            onLoopThread = was;
        }
    }

    /** Runs ticks until nothing due now is left. */
    public void drainQueuedTasks() {
        do {
            runCurrentlyQueuedTasks();
        } while (hasTaskDueNow());
    }

    /** Whether a task (queued from any thread) is due at the current time. */
    public boolean hasTaskDueNow() {
        crossThread.drainInto(scheduler);
        return scheduler.nextTaskTime() <= now;
    }

    /** Cancels everything pending and releases loop-local values. */
    public void destroy() {
        onLoopThread = true;
        crossThread.close(scheduler);
        scheduler.cancelAll();
        locals.removeAll();
    }

    @Override
    public void scheduleNow(Task task) {
        if (onLoopThread) {
            scheduler.scheduleNow(task);
        } else {
            crossThread.offerNow(task);
        }
    }

    @Override
    public void scheduleNowSerialized(Task task) {
        crossThread.offerNow(task);
    }

    @Override
    public void scheduleFuture(Task task, long timeNanos) {
        if (onLoopThread) {
            scheduler.scheduleFuture(task, timeNanos);
        } else {
            crossThread.offerAt(task, timeNanos);
        }
    }

    @Override
    public void cancel(Task task) {
        crossThread.drainInto(scheduler);
        scheduler.cancel(task);
    }

    @Override
    public void subscribe(IoHandle handle, int events, IoEventListener listener) {
        throw new UnsupportedOperationException("a manual event loop has no I/O");
    }

    @Override
    public void modifySubscription(IoHandle handle, int events) {
        throw new UnsupportedOperationException("a manual event loop has no I/O");
    }

    @Override
    public void unsubscribe(IoHandle handle) {
        throw new UnsupportedOperationException("a manual event loop has no I/O");
    }

    @Override
    public <T> T local(EventLoopLocal<T> local) {
        return locals.get(local, this);
    }

    @Override
    public long loadFactor() {
        return 0;
    }

    @Override
    public void execute(Runnable command) {
        scheduleNowSerialized(new Task("execute", status -> {
            if (status == TaskStatus.RUN_READY) {
                command.run();
            }
        }));
    }
}
