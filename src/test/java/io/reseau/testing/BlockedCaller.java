package io.reseau.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A blocking call on a thread of its own, virtual or platform, and how it ended, in words a test
 * can compare: "returned X" or "SomeException: message", each followed by the thread's interrupt
 * status at that moment (the interrupt rules are about both).
 */
public final class BlockedCaller {
    /** The blocking call; its return value is reported with {@link String#valueOf}. */
    @FunctionalInterface
    public interface Call {
        Object run() throws Exception;
    }

    private final Thread thread;
    private final CompletableFuture<String> outcome = new CompletableFuture<>();

    private BlockedCaller(boolean virtual, Call call) {
        Runnable body = () -> {
            String ended;
            try {
                ended = "returned " + call.run();
            } catch (Exception e) {
                ended = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            outcome.complete(ended + ", interrupted=" + Thread.currentThread().isInterrupted());
        };
        thread = virtual ? Thread.ofVirtual().name("blocked-caller").unstarted(body)
                : Thread.ofPlatform().name("blocked-caller").daemon(true).unstarted(body);
        thread.start();
    }

    /** Starts {@code call} on a new virtual or platform thread. */
    public static BlockedCaller start(boolean virtual, Call call) {
        return new BlockedCaller(virtual, call);
    }

    /** Starts {@code call} and returns once its thread waits inside it. */
    public static BlockedCaller blocked(boolean virtual, Call call) throws InterruptedException {
        BlockedCaller caller = start(virtual, call);
        WaitingThreads.await(caller.thread);
        return caller;
    }

    public Thread thread() {
        return thread;
    }

    public boolean hasEnded() {
        return outcome.isDone();
    }

    /** How the call ended, waiting for it (a test that expects it to end gives it 10 s). */
    public String outcome() throws Exception {
        String ended = outcome.get(10, TimeUnit.SECONDS);
        thread.join();
        return ended;
    }
}
