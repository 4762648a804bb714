package io.reseau.channel;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A chain of {@link ChannelSlot}s on one event loop (aws-c-io's {@code aws_channel}): reads flow
 * left to right from the socket towards the application, writes right to left. Only the loop's
 * thread touches the slots and handlers; {@link #shutdown}, {@link #destroy} and the task
 * scheduling methods may be called from any thread.
 *
 * <p>Shutdown follows aws-c-io exactly: only the first request counts (its error wins); the read
 * direction shuts down left to right, then the write direction right to left; pending channel
 * tasks are cancelled; then {@code onShutdownCompleted} runs. Tasks scheduled after that run at
 * once as cancelled.
 */
public final class Channel {
    /** Window updates are held back until some slot's window is this low (aws-c-io: 4 × 16 KiB). */
    public static final long WINDOW_UPDATE_THRESHOLD = 4L * MessagePool.MAX_FRAGMENT_SIZE;
    private static final System.Logger LOG = System.getLogger(Channel.class.getName());

    private final EventLoop loop;
    final boolean readBackPressure;
    private final ChannelCallback onShutdownCompleted;
    private volatile ChannelState state = ChannelState.SETTING_UP;
    ChannelSlot first;
    private MessagePool pool;

    // Channel tasks: pending ones are tracked (loop thread) so shutdown can cancel them.
    private ChannelTask pendingHead;
    private final Object crossThreadLock = new Object();
    private ArrayList<ChannelTask> crossThreadTasks; // guarded by crossThreadLock; made when first needed
    private boolean shutDownForTasks; // guarded by crossThreadLock
    private Task crossThreadTasksTask; // guarded by crossThreadLock; made when the first task is queued

    private boolean shutdownRequested; // guarded by crossThreadLock
    private IoError shutdownError; // written under crossThreadLock, then read on the loop thread
    private IoError writeShutdownError;
    private boolean writeShutdownImmediately;

    private boolean windowUpdateScheduled;

    private StatisticsHandler statisticsHandler;
    private ChannelTask statisticsTask;
    private long statisticsIntervalStartMillis;

    private Channel(ChannelOptions options) {
        this.loop = options.eventLoop();
        this.readBackPressure = options.enableReadBackPressure();
        this.onShutdownCompleted = options.onShutdownCompleted();
    }

    /**
     * Creates a channel and sets it up on its loop: {@code onSetupCompleted} is then told, on the
     * loop thread, whether the channel is ready for slots.
     */
    public static Channel create(ChannelOptions options) {
        Channel channel = new Channel(options);
        // The setup callback goes with the task, not into the channel, so that what it holds
        // (a bootstrap's attempt) is free once setup is done.
        ChannelCallback onSetupCompleted = options.onSetupCompleted();
        channel.loop.scheduleNow(new Task("channel-setup", status -> channel.setUp(status, onSetupCompleted)));
        return channel;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public ChannelState state() {
        return state;
    }

    public boolean isReadBackPressureEnabled() {
        return readBackPressure;
    }

    public boolean isOnLoopThread() {
        return loop.isOnLoopThread();
    }

    public long currentTimeNanos() {
        return loop.currentTimeNanos();
    }

    /** The left-most slot (the socket's), or null before the first slot exists. */
    public ChannelSlot firstSlot() {
        return first;
    }

    /** A new slot; the channel's first slot becomes its first. Link later ones with insert methods. */
    public ChannelSlot newSlot() {
        requireLoopThread("newSlot");
        ChannelSlot slot = new ChannelSlot(this);
        if (first == null) {
            first = slot;
        }
        return slot;
    }

    /** Appends {@code slot} after the right-most slot. */
    public void insertEnd(ChannelSlot slot) {
        requireLoopThread("insertEnd");
        if (first == null) {
            first = slot;
            return;
        }
        ChannelSlot last = first;
        while (last.right != null) {
            last = last.right;
        }
        last.insertRight(slot);
    }

    /** A pooled message of up to {@code sizeHint} bytes (16 KiB at most) from the loop's pool. */
    public IoMessage acquireMessage(int sizeHint) {
        return pool.acquire(sizeHint, this);
    }

    /**
     * Starts the shutdown; from any thread, and always asynchronously. Only the first call counts.
     *
     * @param error null for a clean shutdown
     */
    public void shutdown(IoError error) {
        synchronized (crossThreadLock) {
            if (shutdownRequested) {
                return;
            }
            shutdownRequested = true;
            shutdownError = error;
        }
        scheduleTaskNow(new ChannelTask("channel-shutdown", this::beginShutdown));
    }

    /**
     * Releases the handlers, left to right. Allowed once shutdown has completed (or while no slot
     * holds a handler); from any thread.
     */
    public void destroy() {
        if (state != ChannelState.SHUT_DOWN) {
            for (ChannelSlot slot = first; slot != null; slot = slot.right) {
                if (slot.handler != null) {
                    throw new IllegalStateException("a channel is destroyed only after its shutdown completed");
                }
            }
        }
        if (loop.isOnLoopThread()) {
            destroyHandlers();
        } else {
            loop.scheduleNow(new Task("channel-destroy", status -> destroyHandlers()));
        }
    }

    /** Runs the task as soon as possible (from the loop thread, before tasks other threads queued). */
    public void scheduleTaskNow(ChannelTask task) {
        schedule(task, false, 0, false);
    }

    /** Runs the task after every task scheduled before it, from whatever thread. */
    public void scheduleTaskNowSerialized(ChannelTask task) {
        schedule(task, false, 0, true);
    }

    /** Runs the task at {@code timeNanos} on the loop's clock. */
    public void scheduleTaskFuture(ChannelTask task, long timeNanos) {
        schedule(task, true, timeNanos, false);
    }

    /**
     * Runs a scheduled task at once with {@link TaskStatus#CANCELED}, so that a timer which is no
     * longer needed (a timeout that cannot fire any more) holds nothing until its time. Does
     * nothing for a task that is not scheduled. Loop thread only.
     */
    public void cancelTask(ChannelTask task) {
        requireLoopThread("cancelTask");
        if (task.pending) {
            loop.cancel(task.loopTask);
            return;
        }
        boolean crossing;
        synchronized (crossThreadLock) {
            crossing = crossThreadTasks != null && crossThreadTasks.remove(task);
        }
        if (crossing) {
            task.function.run(TaskStatus.CANCELED);
        }
    }

    /** Asks the first handler (the data source) to read again. Loop thread only. */
    public void triggerRead() {
        requireLoopThread("triggerRead");
        if (first != null && first.handler != null) {
            first.handler.triggerRead(first);
        }
    }

    /**
     * Reports the handlers' statistics to {@code handler} every {@link StatisticsHandler#reportInterval()},
     * until the channel shuts down; null stops reporting. Loop thread only.
     */
    public void setStatisticsHandler(StatisticsHandler handler) {
        requireLoopThread("setStatisticsHandler");
        statisticsHandler = handler;
        if (handler == null) {
            return;
        }
        long interval = handler.reportInterval().toNanos();
        if (interval <= 0) {
            throw new IllegalArgumentException("the statistics interval must be positive");
        }
        statisticsIntervalStartMillis = TimeUnit.NANOSECONDS.toMillis(loop.currentTimeNanos());
        for (ChannelSlot slot = first; slot != null; slot = slot.right) {
            if (slot.handler != null) {
                slot.handler.resetStatistics();
            }
        }
        ChannelTask task = new ChannelTask("channel-statistics", status -> reportStatistics(status, handler));
        statisticsTask = task;
        scheduleTaskFuture(task, loop.currentTimeNanos() + interval);
    }

    @Override
    public String toString() {
        return "Channel[" + loop.name() + ", " + state + "]";
    }

    // ---- setup and teardown ----

    private void setUp(TaskStatus status, ChannelCallback onSetupCompleted) {
        if (status == TaskStatus.CANCELED) {
            onSetupCompleted.onChannel(this, IoError.EVENT_LOOP_SHUTDOWN);
            return;
        }
        pool = MessagePool.PER_LOOP.get(loop);
        state = ChannelState.ACTIVE;
        onSetupCompleted.onChannel(this, null);
    }

    private void destroyHandlers() {
        ChannelSlot slot = first;
        first = null;
        while (slot != null) {
            ChannelSlot next = slot.right;
            if (slot.handler != null) {
                try {
                    slot.handler.destroy();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "a channel handler failed to destroy itself", e);
                }
                slot.handler = null;
            }
            slot.left = null;
            slot.right = null;
            slot = next;
        }
    }

    // ---- shutdown sequence ----

    private void beginShutdown(TaskStatus status) {
        if (state == ChannelState.SHUTTING_DOWN || state == ChannelState.SHUT_DOWN) {
            return;
        }
        state = ChannelState.SHUTTING_DOWN;
        if (first != null && first.handler != null) {
            first.shutdown(ChannelDirection.READ, shutdownError, false);
        } else {
            completeShutdown(shutdownError);
        }
    }

    void onHandlerShutdownComplete(ChannelSlot slot, ChannelDirection direction, IoError error, boolean immediately) {
        if (state == ChannelState.SHUT_DOWN) {
            return;
        }
        if (direction == ChannelDirection.READ) {
            if (slot.right != null && slot.right.handler != null) {
                slot.right.shutdown(ChannelDirection.READ, error, immediately);
            } else {
                // The read direction is done; the write direction starts from the right-most slot
                // in a fresh task, which breaks the call stack in half.
                writeShutdownError = error;
                writeShutdownImmediately = immediately;
                loop.scheduleNow(new Task("channel-shutdown-write", status -> startWriteShutdown()));
            }
        } else if (slot.left != null && slot.left.handler != null) {
            slot.left.shutdown(ChannelDirection.WRITE, error, immediately);
        } else {
            completeShutdown(error);
        }
    }

    private void startWriteShutdown() {
        ChannelSlot last = first;
        while (last.right != null && last.right.handler != null) {
            last = last.right;
        }
        last.shutdown(ChannelDirection.WRITE, writeShutdownError, writeShutdownImmediately);
    }

    private void completeShutdown(IoError error) {
        state = ChannelState.SHUT_DOWN;
        synchronized (crossThreadLock) {
            shutDownForTasks = true;
        }
        shutdownError = error;
        loop.scheduleNow(new Task("channel-shutdown-completed", this::finishShutdown));
    }

    private void finishShutdown(TaskStatus status) {
        // Cancelling the cross-thread drain runs it: it cancels whatever other threads queued.
        // (No drain task: no other thread ever queued one, and none can any more.)
        Task drain;
        synchronized (crossThreadLock) {
            drain = crossThreadTasksTask;
        }
        if (drain != null) {
            loop.cancel(drain);
        }
        for (ChannelTask task = pendingHead; task != null; task = pendingHead) {
            loop.cancel(task.loopTask);
        }
        if (onShutdownCompleted != null) {
            onShutdownCompleted.onChannel(this, shutdownError);
        }
    }

    // ---- channel tasks ----

    private void schedule(ChannelTask task, boolean timed, long timeNanos, boolean serialized) {
        task.channel = this;
        task.timed = timed;
        task.timeNanos = timeNanos;
        if (loop.isOnLoopThread()) {
            if (state == ChannelState.SHUT_DOWN) {
                task.function.run(TaskStatus.CANCELED);
                return;
            }
            addPending(task);
            if (timed) {
                loop.scheduleFuture(task.loopTask, timeNanos);
            } else if (serialized) {
                loop.scheduleNowSerialized(task.loopTask);
            } else {
                loop.scheduleNow(task.loopTask);
            }
            return;
        }
        boolean cancelled;
        Task drain = null;
        synchronized (crossThreadLock) {
            cancelled = shutDownForTasks;
            if (!cancelled) {
                if (crossThreadTasks == null) {
                    crossThreadTasks = new ArrayList<>(2);
                }
                crossThreadTasks.add(task);
                if (crossThreadTasks.size() == 1) {
                    if (crossThreadTasksTask == null) {
                        crossThreadTasksTask = new Task("channel-cross-thread-tasks", this::runCrossThreadTasks);
                    }
                    drain = crossThreadTasksTask;
                }
            }
        }
        if (cancelled) {
            task.function.run(TaskStatus.CANCELED);
        } else if (drain != null) {
            loop.scheduleNow(drain);
        }
    }

    private void runCrossThreadTasks(TaskStatus status) {
        ArrayList<ChannelTask> tasks;
        synchronized (crossThreadLock) {
            tasks = crossThreadTasks;
            crossThreadTasks = null;
        }
        if (tasks == null) {
            return; // cancelled at shutdown with nothing queued since the last drain
        }
        for (ChannelTask task : tasks) {
            if (status == TaskStatus.CANCELED || state == ChannelState.SHUT_DOWN) {
                task.function.run(TaskStatus.CANCELED);
            } else if (task.timed) {
                addPending(task);
                loop.scheduleFuture(task.loopTask, task.timeNanos);
            } else {
                task.function.run(TaskStatus.RUN_READY);
            }
        }
    }

    void runTask(ChannelTask task, TaskStatus status) {
        removePending(task);
        boolean cancelled = status == TaskStatus.CANCELED || state == ChannelState.SHUT_DOWN;
        task.function.run(cancelled ? TaskStatus.CANCELED : TaskStatus.RUN_READY);
    }

    private void addPending(ChannelTask task) {
        if (task.pending) {
            throw new IllegalStateException(task + " is already scheduled");
        }
        task.pending = true;
        task.previous = null;
        task.next = pendingHead;
        if (pendingHead != null) {
            pendingHead.previous = task;
        }
        pendingHead = task;
    }

    private void removePending(ChannelTask task) {
        if (!task.pending) {
            return;
        }
        task.pending = false;
        if (task.previous != null) {
            task.previous.next = task.next;
        } else {
            pendingHead = task.next;
        }
        if (task.next != null) {
            task.next.previous = task.previous;
        }
        task.previous = null;
        task.next = null;
    }

    // ---- read window ----

    /**
     * One window-update task at a time, and only when some slot (the first excepted: nothing sends
     * reads to it) has a grant waiting and the smallest window is at or below the threshold:
     * roomy windows batch their grants, a starving slot releases them at once.
     */
    void scheduleWindowUpdateIfScarce() {
        if (windowUpdateScheduled || first == null) {
            return;
        }
        boolean grantWaiting = false;
        long smallestWindow = Long.MAX_VALUE;
        for (ChannelSlot slot = first.right; slot != null; slot = slot.right) {
            grantWaiting |= slot.windowUpdateBatch > 0;
            smallestWindow = Math.min(smallestWindow, slot.windowSize);
        }
        if (grantWaiting && smallestWindow <= WINDOW_UPDATE_THRESHOLD) {
            windowUpdateScheduled = true;
            // A task per update (grants are batched, so they are few) rather than one kept for
            // good: an idle channel then holds none.
            scheduleTaskNow(new ChannelTask("channel-window-update", this::runWindowUpdate));
        }
    }

    private void runWindowUpdate(TaskStatus status) {
        windowUpdateScheduled = false;
        if (status != TaskStatus.RUN_READY || state.compareTo(ChannelState.SHUTTING_DOWN) >= 0 || first == null) {
            return;
        }
        ChannelSlot slot = first;
        while (slot.right != null) {
            slot = slot.right;
        }
        for (; slot.left != null; slot = slot.left) {
            ChannelSlot upstream = slot.left;
            if (upstream.handler == null || slot.windowUpdateBatch == 0) {
                continue;
            }
            long grant = slot.windowUpdateBatch;
            slot.windowSize = ChannelSlot.saturatingAdd(slot.windowSize, grant);
            slot.windowUpdateBatch = 0;
            try {
                upstream.handler.incrementReadWindow(upstream, grant);
            } catch (IoErrorException e) {
                shutdown(e.error());
                return;
            }
        }
    }

    // ---- statistics ----

    private void reportStatistics(TaskStatus status, StatisticsHandler handler) {
        if (status != TaskStatus.RUN_READY || statisticsHandler != handler
                || state == ChannelState.SHUTTING_DOWN || state == ChannelState.SHUT_DOWN) {
            return;
        }
        List<HandlerStatistics> statistics = new ArrayList<>();
        for (ChannelSlot slot = first; slot != null; slot = slot.right) {
            if (slot.handler != null) {
                slot.handler.gatherStatistics(statistics);
            }
        }
        long endMillis = TimeUnit.NANOSECONDS.toMillis(loop.currentTimeNanos());
        handler.processStatistics(statisticsIntervalStartMillis, endMillis, statistics, this);
        for (ChannelSlot slot = first; slot != null; slot = slot.right) {
            if (slot.handler != null) {
                slot.handler.resetStatistics();
            }
        }
        statisticsIntervalStartMillis = endMillis;
        scheduleTaskFuture(statisticsTask, loop.currentTimeNanos() + handler.reportInterval().toNanos());
    }

    // ---- shared with slots ----

    void updateMessageOverheads() {
        long overhead = 0;
        for (ChannelSlot slot = first; slot != null; slot = slot.right) {
            slot.upstreamMessageOverhead = overhead;
            if (slot.handler != null) {
                overhead += slot.handler.messageOverhead();
            }
        }
    }

    void requireLoopThread(String operation) {
        if (!loop.isOnLoopThread()) {
            throw new IllegalStateException(IoError.EVENT_LOOP_THREAD_ONLY.awsName() + ": channel " + operation
                    + " must run on " + loop.name() + "'s thread");
        }
    }
}
