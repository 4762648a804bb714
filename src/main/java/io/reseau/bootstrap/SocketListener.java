package io.reseau.bootstrap;

import io.reseau.socket.Socket;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening socket made by {@link ServerBootstrap}. Closing it stops accepting; its
 * {@code onDestroy} runs once it is closed and its last connection has shut down.
 */
public final class SocketListener implements AutoCloseable {
    private final Socket socket;
    private final Runnable onDestroy;
    // One reference for the listener itself, one per live connection.
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    SocketListener(Socket socket, Runnable onDestroy) {
        this.socket = socket;
        this.onDestroy = onDestroy;
    }

    /** The address it listens on, with the real port when port 0 was asked for. */
    public SocketAddress localAddress() {
        return socket.localAddress();
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /** Stops accepting and closes the listening socket; established connections carry on. From any thread. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            socket.stopAccept();
            socket.close();
            release();
        }
    }

    void retain() {
        references.incrementAndGet();
    }

    void release() {
        if (references.decrementAndGet() == 0 && onDestroy != null) {
            onDestroy.run();
        }
    }

    @Override
    public String toString() {
        return "SocketListener[" + localAddress() + (isOpen() ? "" : ", closed") + "]";
    }
}
