package io.reseau.eventloop;

import io.reseau.common.IoErrorException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs work on the thread of the loop that owns what it touches (a pipe end, a listener) and waits
 * for it, from any other thread.
 */
public final class OwningLoop {
    public interface Work {
        /** @param loopAlive false when the loop is destroyed and the work runs on the caller */
        void run(boolean loopAlive) throws IoErrorException;
    }

    private OwningLoop() {}

    /** Runs {@code work} at once on {@code loop}'s thread; else as a task there, waiting (not from another loop's thread). */
    public static void run(EventLoop loop, String name, Work work) throws IoErrorException {
        if (loop.isOnLoopThread()) {
            work.run(true);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.scheduleNow(new Task(name, status -> {
            try {
                work.run(status == TaskStatus.RUN_READY);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }));
        try {
            done.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case IoErrorException failure -> throw failure;
                case RuntimeException unchecked -> throw unchecked;
                case Error error -> throw error;
                default -> throw e;
            }
        }
    }
}
