package io.reseau.eventloop;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.common.NanoClock;
import io.reseau.internal.ffi.Epoll;
import io.reseau.internal.ffi.Errno;
import io.reseau.internal.ffi.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

/**
 * aws-c-io's epoll event loop: one platform thread that waits in {@code epoll_wait}, dispatches
 * edge-triggered I/O events to subscribed handles and runs scheduled tasks.
 *
 * <p>Tasks scheduled from the loop's own thread go straight into its {@link TaskScheduler} (so
 * they may run before tasks other threads queued earlier); tasks from other threads pass through a
 * locked queue, and the loop's eventfd is written only when that queue was empty.
 * {@link #scheduleNowSerialized} always takes the queue, which keeps submission order across
 * threads.
 *
 * <p>Before blocking in {@code epoll_wait}, the loop keeps polling without blocking for a short
 * while ({@code spin}, 50 µs by default). Waking a thread blocked in the kernel costs far more than
 * a few polls (on gVisor, several times the whole round trip of a request), and traffic that is
 * flowing usually brings the next event within that time. Between polls the loop yields its core,
 * so that threads with work (the virtual threads it feeds) are not kept waiting by the spin. An
 * idle loop pays one spin per idle period, then sleeps. (A Reseau addition; aws-c-io always blocks.)
 *
 * <p>Lifecycle: {@link #start}, {@link #stop} (idempotent), {@link #waitForStopCompletion},
 * {@link #start} again if wanted, and finally {@link #destroy}, which cancels every pending task;
 * cancelled tasks see {@link #isOnLoopThread()} true.
 */
public final class EpollEventLoop implements EventLoop {
    /** Events fetched per {@code epoll_wait}, as aws-c-io. */
    public static final int MAX_EVENTS_PER_TICK = 100;
    /**
     * How long an idle loop polls before it blocks, unless told otherwise: 50 µs, or the system
     * property {@code reseau.eventloop.spinMicros} (0 blocks at once).
     */
    public static final Duration DEFAULT_SPIN = Duration.ofNanos(1_000 * Long.getLong("reseau.eventloop.spinMicros", 50));
    // With no task due, the loop sleeps until I/O or a cross-thread wake-up (aws-c-io: 100 s).
    private static final int IDLE_TIMEOUT_MILLIS = 100_000;
    private static final long WAKE_KEY = -1L;
    private static final int SUBSCRIBABLE = IoEvents.READABLE | IoEvents.WRITABLE;
    private static final System.Logger LOG = System.getLogger(EpollEventLoop.class.getName());

    private final String name;
    private final NanoClock clock;
    private final long spinNanos;
    private final TaskScheduler scheduler = new TaskScheduler();
    private final CrossThreadTaskQueue crossThreadTasks = new CrossThreadTaskQueue(this::wake);
    private final SubscriptionTable subscriptions = new SubscriptionTable();
    private final EventLoopLocals locals = new EventLoopLocals();
    private final LoadFactor loadFactor;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events;
    private final MemorySegment wakeCounter;
    private final int epollFd;
    private final int wakeFd;
    // Set while the loop blocks in epoll_wait: only then must a cross-thread task write the
    // eventfd. An awake loop looks at the queue itself, which saves both ends a system call.
    private volatile boolean sleeping;
    private final Task stopTask = new Task("event-loop-stop", this::onStopTask);
    private final Object lifecycle = new Object();

    private volatile Thread runningThread;
    private volatile boolean shouldContinue;
    private Thread startedThread; // guarded by lifecycle
    private boolean stopScheduled; // guarded by lifecycle
    private boolean destroyed; // guarded by lifecycle

    public EpollEventLoop(String name) throws IoErrorException {
        this(name, NanoClock.SYSTEM, DEFAULT_SPIN);
    }

    /** @param spin how long to poll before blocking when idle; zero blocks at once, as aws-c-io */
    public EpollEventLoop(String name, NanoClock clock, Duration spin) throws IoErrorException {
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (spin.isNegative()) {
            throw new IllegalArgumentException("spin cannot be negative: " + spin);
        }
        this.spinNanos = spin.toNanos();
        this.loadFactor = new LoadFactor(clock);
        this.events = arena.allocate(Epoll.EVENT, MAX_EVENTS_PER_TICK);
        this.wakeCounter = arena.allocate(ValueLayout.JAVA_LONG);
        int epoll = Epoll.create1(Epoll.EPOLL_CLOEXEC);
        if (epoll < 0) {
            arena.close();
            throw systemCallFailure("epoll_create1", -epoll);
        }
        int eventFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        int rc = eventFd < 0 ? eventFd : Epoll.ctl(epoll, Epoll.EPOLL_CTL_ADD, eventFd, Epoll.EPOLLIN | Epoll.EPOLLET, WAKE_KEY);
        if (rc < 0) {
            if (eventFd >= 0) {
                Libc.close(eventFd);
            }
            Libc.close(epoll);
            arena.close();
            throw systemCallFailure(eventFd < 0 ? "eventfd" : "epoll_ctl", -rc);
        }
        this.epollFd = epoll;
        this.wakeFd = eventFd;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long currentTimeNanos() {
        return clock.nanoTime();
    }

    /** Starts the loop's thread. A stopped loop may be started again. */
    public void start() {
        synchronized (lifecycle) {
            if (destroyed) {
                throw new IllegalStateException(name + " is destroyed");
            }
            if (startedThread != null && startedThread.isAlive()) {
                throw new IllegalStateException(name + " is already running");
            }
            stopScheduled = false;
            shouldContinue = true;
            startedThread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::runLoop);
            startedThread.start();
        }
    }

    /** Asks a running loop to stop after its current tick; returns at once. Idempotent. */
    public void stop() {
        synchronized (lifecycle) {
            // A loop thread ends only by running the stop task, so a live thread will pick it up;
            // a loop that is not running must not keep one queued for its next start.
            if (startedThread != null && startedThread.isAlive() && !stopScheduled) {
                stopScheduled = true;
                scheduleNow(stopTask);
            }
        }
    }

    /** Waits until a stopped loop's thread has ended. */
    public void waitForStopCompletion() throws InterruptedException {
        if (isOnLoopThread()) {
            throw new IllegalStateException("an event loop cannot wait for its own thread to stop");
        }
        Thread thread;
        synchronized (lifecycle) {
            thread = startedThread;
        }
        if (thread != null) {
            thread.join();
        }
    }

    /**
     * Stops the loop, waits for its thread, cancels every pending task (on this thread, which the
     * cancelled tasks see as the loop thread) and releases the epoll and event descriptors. Tasks
     * scheduled afterwards run at once as {@link TaskStatus#CANCELED}. Idempotent.
     */
    public void destroy() {
        if (isOnLoopThread()) {
            throw new IllegalStateException("an event loop cannot destroy itself from its own thread");
        }
        synchronized (lifecycle) {
            if (destroyed) {
                return;
            }
            destroyed = true;
        }
        stop();
        boolean interrupted = false;
        while (true) {
            try {
                waitForStopCompletion();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the descriptors cannot be released while the thread runs
            }
        }
        runningThread = Thread.currentThread();
        try {
            crossThreadTasks.close(scheduler);
            scheduler.cancelAll();
            locals.removeAll();
        } finally {
            runningThread = null;
            Libc.close(wakeFd);
            Libc.close(epollFd);
            arena.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isOnLoopThread() {
        return Thread.currentThread() == runningThread;
    }

    @Override
    public void scheduleNow(Task task) {
        if (isOnLoopThread()) {
            scheduler.scheduleNow(task);
        } else {
            crossThreadTasks.offerNow(task);
        }
    }

    @Override
    public void scheduleNowSerialized(Task task) {
        crossThreadTasks.offerNow(task);
    }

    @Override
    public void scheduleFuture(Task task, long timeNanos) {
        if (isOnLoopThread()) {
            scheduler.scheduleFuture(task, timeNanos);
        } else {
            crossThreadTasks.offerAt(task, timeNanos);
        }
    }

    @Override
    public void cancel(Task task) {
        requireLoopThread("cancel");
        crossThreadTasks.drainInto(scheduler);
        scheduler.cancel(task);
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        if (crossThreadTasks.isClosed()) {
            throw new RejectedExecutionException(name + " is destroyed");
        }
        scheduleNowSerialized(new Task("execute", status -> {
            if (status == TaskStatus.RUN_READY) {
                command.run();
            }
        }));
    }

    @Override
    public void subscribe(IoHandle handle, int events, IoEventListener listener) throws IoErrorException {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(listener, "listener");
        requireSubscribable(events);
        Subscription subscription = new Subscription(this, handle, listener);
        if (!handle.attach(subscription)) {
            throw new IllegalStateException(IoError.ALREADY_SUBSCRIBED.awsName() + ": " + handle);
        }
        int rc;
        synchronized (lifecycle) {
            // Checked under the lock destroy() takes first: once destroyed, epollFd may already be
            // closed and its number reused.
            if (destroyed) {
                handle.detach(subscription);
                throw new IllegalStateException(name + " is destroyed");
            }
            rc = Epoll.ctl(epollFd, Epoll.EPOLL_CTL_ADD, handle.fd(), epollMask(events), subscriptions.add(subscription));
        }
        if (rc < 0) {
            subscriptions.remove(subscription);
            handle.detach(subscription);
            throw systemCallFailure("epoll_ctl(ADD, fd " + handle.fd() + ")", -rc);
        }
    }

    @Override
    public void modifySubscription(IoHandle handle, int events) throws IoErrorException {
        requireLoopThread("modifySubscription");
        requireSubscribable(events);
        Subscription subscription = handle.subscription();
        if (subscription == null || subscription.loop != this) {
            throw new IllegalStateException(IoError.NOT_SUBSCRIBED.awsName() + ": " + handle + " on " + name);
        }
        int rc = Epoll.ctl(epollFd, Epoll.EPOLL_CTL_MOD, handle.fd(), epollMask(events), subscription.key);
        if (rc < 0) {
            throw systemCallFailure("epoll_ctl(MOD, fd " + handle.fd() + ")", -rc);
        }
    }

    @Override
    public void unsubscribe(IoHandle handle) throws IoErrorException {
        requireLoopThread("unsubscribe");
        Subscription subscription = handle.subscription();
        if (subscription == null || subscription.loop != this) {
            throw new IllegalStateException(IoError.NOT_SUBSCRIBED.awsName() + ": " + handle + " on " + name);
        }
        subscriptions.remove(subscription);
        handle.detach(subscription);
        int rc = Epoll.ctl(epollFd, Epoll.EPOLL_CTL_DEL, handle.fd(), 0, 0);
        if (rc < 0) {
            throw systemCallFailure("epoll_ctl(DEL, fd " + handle.fd() + ")", -rc);
        }
    }

    @Override
    public <T> T local(EventLoopLocal<T> local) {
        requireLoopThread("an event-loop local");
        return locals.get(local, this);
    }

    @Override
    public long loadFactor() {
        return loadFactor.get();
    }

    @Override
    public String toString() {
        return "EventLoop[" + name + "]";
    }

    private void runLoop() {
        runningThread = Thread.currentThread();
        try {
            int timeoutMillis = IDLE_TIMEOUT_MILLIS;
            while (shouldContinue) {
                int count = waitForEvents(timeoutMillis);
                loadFactor.tickStart();
                if (count < 0 && count != -Errno.EINTR) {
                    LOG.log(System.Logger.Level.ERROR, name + ": epoll_wait failed with " + Errno.name(-count));
                }
                for (int i = 0; i < count; i++) {
                    long key = Epoll.data(events, i);
                    if (key == WAKE_KEY) {
                        Libc.eventfdRead(wakeFd, wakeCounter);
                    } else {
                        dispatch(key, Epoll.events(events, i));
                    }
                }
                crossThreadTasks.drainInto(scheduler);
                scheduler.runAll(clock.nanoTime());
                timeoutMillis = timeoutUntil(scheduler.nextTaskTime());
                loadFactor.tickEnd();
            }
        } finally {
            runningThread = null;
        }
    }

    /**
     * Polls for up to the spin duration, then blocks for what is left of the timeout; returns early
     * (0 events) when another thread queued a task.
     */
    private int waitForEvents(int timeoutMillis) {
        if (timeoutMillis == 0) {
            return Epoll.wait(epollFd, events, MAX_EVENTS_PER_TICK, 0);
        }
        if (spinNanos > 0) {
            long spinEnd = System.nanoTime() + spinNanos;
            do {
                int count = Epoll.wait(epollFd, events, MAX_EVENTS_PER_TICK, 0);
                if (count != 0 || crossThreadTasks.hasQueued()) {
                    return count;
                }
                Thread.yield(); // a thread with work to do on this core gets it; none, and polling resumes
            } while (System.nanoTime() < spinEnd);
        }
        // Announce the sleep, then look at the queue: a task queued before the look is seen here,
        // one queued after it finds the flag set and writes the eventfd.
        sleeping = true;
        try {
            if (crossThreadTasks.hasQueued()) {
                return Epoll.wait(epollFd, events, MAX_EVENTS_PER_TICK, 0);
            }
            return Epoll.wait(epollFd, events, MAX_EVENTS_PER_TICK, timeoutMillis);
        } finally {
            sleeping = false;
        }
    }

    private void dispatch(long key, int epollEvents) {
        Subscription subscription = subscriptions.get(key);
        if (subscription == null) {
            return; // unsubscribed earlier in this tick
        }
        try {
            subscription.listener.onEvent(this, subscription.handle, ioEvents(epollEvents));
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, name + ": I/O event listener of " + subscription.handle + " failed", t);
        }
    }

    private int timeoutUntil(long nextTaskTime) {
        if (nextTaskTime == Long.MAX_VALUE) {
            return IDLE_TIMEOUT_MILLIS;
        }
        long remaining = nextTaskTime - clock.nanoTime();
        if (remaining <= 0) {
            return 0;
        }
        // Round up: waking before the task is due would spin through empty ticks until it is.
        return (int) Math.min((remaining + 999_999) / 1_000_000, Integer.MAX_VALUE);
    }

    private void onStopTask(TaskStatus status) {
        if (status == TaskStatus.RUN_READY) {
            shouldContinue = false;
        }
    }

    // The first task arrived in an empty cross-thread queue. Runs under the queue's lock, so
    // destroy() cannot close the eventfd under it.
    private void wake() {
        if (sleeping && Libc.eventfdWrite(wakeFd, 1) != 0) {
            LOG.log(System.Logger.Level.ERROR, name + ": could not signal the loop's eventfd");
        }
    }

    private static void requireSubscribable(int events) {
        if (events == 0 || (events & ~SUBSCRIBABLE) != 0) {
            throw new IllegalArgumentException("subscribable events are READABLE and WRITABLE, got "
                    + IoEvents.toString(events));
        }
    }

    private void requireLoopThread(String operation) {
        if (!isOnLoopThread()) {
            throw new IllegalStateException(IoError.EVENT_LOOP_THREAD_ONLY.awsName() + ": " + operation
                    + " must run on " + name + "'s thread");
        }
    }

    private static int epollMask(int events) {
        int mask = Epoll.EPOLLET | Epoll.EPOLLHUP | Epoll.EPOLLRDHUP | Epoll.EPOLLERR;
        if ((events & IoEvents.READABLE) != 0) {
            mask |= Epoll.EPOLLIN;
        }
        if ((events & IoEvents.WRITABLE) != 0) {
            mask |= Epoll.EPOLLOUT;
        }
        return mask;
    }

    private static int ioEvents(int epollEvents) {
        int events = 0;
        if ((epollEvents & Epoll.EPOLLIN) != 0) {
            events |= IoEvents.READABLE;
        }
        if ((epollEvents & Epoll.EPOLLOUT) != 0) {
            events |= IoEvents.WRITABLE;
        }
        if ((epollEvents & Epoll.EPOLLRDHUP) != 0) {
            events |= IoEvents.REMOTE_HANG_UP;
        }
        if ((epollEvents & Epoll.EPOLLHUP) != 0) {
            events |= IoEvents.CLOSED;
        }
        if ((epollEvents & Epoll.EPOLLERR) != 0) {
            events |= IoEvents.ERROR;
        }
        return events;
    }

    private static IoErrorException systemCallFailure(String call, int errno) {
        return new IoErrorException(IoError.SYS_CALL_FAILURE, call + " failed with " + Errno.name(errno));
    }
}
