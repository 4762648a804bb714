package io.reseau.pipe;

import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Runs a pipe end's work on its loop's thread and waits for it, from any other thread. */
final class OwningLoop {
    interface Work {
        /** @param loopAlive false when the loop is destroyed and the work runs on the caller */
        void run(boolean loopAlive) throws IoErrorException;
    }

    private OwningLoop() {}

    /** Runs {@code work} at once on {@code loop}'s thread; else as a task there, waiting (not from another loop's thread). */
    static void run(EventLoop loop, String name, Work work) throws IoErrorException {
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
