package io.reseau.net;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** Runs a blocking socket call on a virtual thread of its own, as a future. */
final class Async {
    private Async() {}

    interface Call<T> {
        T run() throws IOException;
    }

    /**
     * The future of {@code call}, run on a new virtual thread (parking costs it nothing). Cancelling
     * the future closes {@code resource}, which makes the blocked call give up.
     */
    static <T> CompletableFuture<T> run(Call<T> call, Closeable resource) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Thread.ofVirtual().name("reseau-async").start(() -> {
            try {
                future.complete(call.run());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        future.whenComplete((result, failure) -> {
            if (future.isCancelled()) {
                closeQuietly(resource);
            }
        });
        return future;
    }

    /** Closing after a cancel: nobody is left to tell that it failed. */
    static void closeQuietly(Closeable resource) {
        try {
            resource.close();
        } catch (IOException e) {
            System.getLogger(Async.class.getName()).log(System.Logger.Level.DEBUG, "close after cancel failed", e);
        }
    }
}
