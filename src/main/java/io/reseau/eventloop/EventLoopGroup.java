package io.reseau.eventloop;

import io.reseau.common.IoErrorException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of running {@link EpollEventLoop}s, each on its own daemon platform thread. Connections are
 * spread over them by {@link #nextLoop()}; {@link #shutdown()} stops and destroys them all.
 */
public final class EventLoopGroup implements AutoCloseable {
    private static final AtomicInteger GROUP_NUMBERS = new AtomicInteger();
    private static final System.Logger LOG = System.getLogger(EventLoopGroup.class.getName());
    /** How much busier (nanoseconds of work per second) a loop's turn must be for another to take it. */
    static final long LOAD_MARGIN_NANOS = 100_000_000L;

    private final List<EpollEventLoop> loops;
    private final Runnable onShutdownComplete;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();
    private final AtomicInteger turn = new AtomicInteger();

    /** A group of {@link EventLoopGroupOptions#defaultLoopCount()} loops. */
    public EventLoopGroup() throws IoErrorException {
        this(EventLoopGroupOptions.defaults());
    }

    public EventLoopGroup(int loopCount) throws IoErrorException {
        this(EventLoopGroupOptions.withLoopCount(loopCount));
    }

    /** Creates and starts the loops; if one cannot be created, those already built are destroyed. */
    public EventLoopGroup(EventLoopGroupOptions options) throws IoErrorException {
        int count = options.loopCount() == 0 ? EventLoopGroupOptions.defaultLoopCount() : options.loopCount();
        EpollEventLoop[] created = new EpollEventLoop[count];
        try {
            for (int i = 0; i < count; i++) {
                created[i] = new EpollEventLoop(options.threadNamePrefix() + (i + 1), options.clock(), options.spin());
                created[i].start();
            }
        } catch (IoErrorException | RuntimeException e) {
            for (EpollEventLoop loop : created) {
                if (loop != null) {
                    loop.destroy();
                }
            }
            throw e;
        }
        this.loops = List.of(created);
        this.onShutdownComplete = options.onShutdownComplete();
    }

    public int loopCount() {
        return loops.size();
    }

    public EventLoop loopAt(int index) {
        return loops.get(index);
    }

    public List<EventLoop> loops() {
        return List.copyOf(loops);
    }

    public boolean contains(EventLoop loop) {
        return loops.contains(loop);
    }

    /**
     * The next loop in turn, unless another loop, picked at random, is clearly less loaded: "power
     * of two choices" as aws-c-io, with the first choice taken in turn rather than at random. A
     * loop's load is a figure published once a second, so connections opened within the same second
     * all see the same figures: comparing them alone sent such a burst (a client and the server end
     * it connects to, say) to one loop while the other idled. Taking turns spreads those, and the
     * load still steers new work away from a loop that is busier by more than {@link #LOAD_MARGIN_NANOS}.
     */
    public EventLoop nextLoop() {
        int count = loops.size();
        if (count == 1) {
            return loops.get(0);
        }
        int first = Math.floorMod(turn.getAndIncrement(), count);
        int second = (first + 1 + ThreadLocalRandom.current().nextInt(count - 1)) % count;
        EventLoop inTurn = loops.get(first);
        EventLoop other = loops.get(second);
        return other.loadFactor() + LOAD_MARGIN_NANOS < inTurn.loadFactor() ? other : inTurn;
    }

    /**
     * Stops and destroys every loop on a separate cleanup thread (so a loop thread may call this
     * without joining itself), then runs the shutdown callback and completes the returned future.
     * Pending tasks are cancelled. Idempotent: every call returns the same future.
     */
    public CompletableFuture<Void> shutdown() {
        if (shutdownStarted.compareAndSet(false, true)) {
            Thread.ofPlatform().name("reseau-event-loop-group-cleanup").daemon(true).start(this::destroyLoops);
        }
        return terminated;
    }

    /** {@link #shutdown()} and wait for it. Not from one of this group's loop threads (it would wait for itself). */
    @Override
    public void close() {
        for (EventLoop loop : loops) {
            if (loop.isOnLoopThread()) {
                throw new IllegalStateException("close() on " + loop.name()
                        + " would wait for that loop to end; call shutdown() instead");
            }
        }
        shutdown().join();
    }

    public boolean isTerminated() {
        return terminated.isDone();
    }

    static String nextDefaultPrefix() {
        return "reseau-event-loop-" + GROUP_NUMBERS.incrementAndGet() + "-";
    }

    private void destroyLoops() {
        try {
            for (EpollEventLoop loop : loops) {
                loop.stop(); // all at once, so they wind down in parallel
            }
            for (int i = loops.size() - 1; i >= 0; i--) {
                loops.get(i).destroy();
            }
            if (onShutdownComplete != null) {
                onShutdownComplete.run();
            }
            terminated.complete(null);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "event loop group shutdown failed", t);
            terminated.completeExceptionally(t);
        }
    }
}
