package io.reseau.socket;

import io.reseau.eventloop.EpollEventLoop;
import io.reseau.eventloop.Task;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A running epoll loop for socket tests, and a way to run code on its thread. */
final class LoopFixture implements AutoCloseable {
    final EpollEventLoop loop;

    LoopFixture(String name) throws Exception {
        loop = new EpollEventLoop(name);
        loop.start();
    }

    interface LoopWork<T> {
        T call() throws Exception;
    }

    <T> T call(LoopWork<T> work) throws Exception {
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
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    void run(Callable<?> work) throws Exception {
        call(work::call);
    }

    @Override
    public void close() {
        loop.destroy();
    }
}
