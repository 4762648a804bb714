package io.reseau.testing;

import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.Task;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs a test's code on an event loop's thread, where the callback layers want it, and hands back its result. */
public final class OnLoop {
    private OnLoop() {}

    /** {@code work}'s result, computed in a task on {@code loop}; what it throws is thrown here. */
    public static <T> T call(EventLoop loop, Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.scheduleNow(new Task("test", status -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }));
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
