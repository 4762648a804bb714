package io.reseau.net;

import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import io.reseau.socket.Socket;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Calls on a socket from a user's thread, where the socket's owner runs them: on the caller's
 * thread before the socket has a loop, otherwise on its loop, waited for. Failures come out as the
 * JDK words them.
 */
final class OwnerCalls {
    private OwnerCalls() {}

    interface SocketCall<T> {
        T call(Socket socket) throws IoErrorException;
    }

    static <T> T call(Socket socket, SocketCall<T> call) throws IOException {
        return callOn(socket.eventLoop(), socket, call);
    }

    /** As {@link #call}, on {@code loop}, the socket's owner (null: the caller's thread). */
    static <T> T callOn(EventLoop loop, Socket socket, SocketCall<T> call) throws IOException {
        try {
            if (loop == null) {
                return call.call(socket);
            }
            CompletableFuture<T> result = new CompletableFuture<>();
            loop.scheduleNow(new Task("facade-socket-call", status -> {
                try {
                    if (status != TaskStatus.RUN_READY) {
                        throw SocketErrors.closed();
                    }
                    result.complete(call.call(socket));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            }));
            return result.join();
        } catch (IoErrorException e) {
            throw SocketErrors.optionFailure(e);
        } catch (CompletionException e) {
            if (e.getCause() instanceof IoErrorException io) {
                throw SocketErrors.optionFailure(io);
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
