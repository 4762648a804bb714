package io.reseau.bootstrap;

import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.socket.AcceptListener;
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
    private final EventLoopGroup group;
    private AcceptListener acceptor; // guarded by this
    private boolean paused; // guarded by this
    // One reference for the listener itself, one per live connection.
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    SocketListener(Socket socket, Runnable onDestroy, EventLoopGroup group) {
        this.socket = socket;
        this.onDestroy = onDestroy;
        this.group = group;
    }

    synchronized void startAccepting(AcceptListener connections) throws IoErrorException {
        acceptor = connections;
        socket.startAccept(group.nextLoop(), connections);
    }

    /**
     * Stops taking connections from the kernel, which then queues them in its backlog (and refuses
     * more once that is full); established connections are not affected. From any thread.
     */
    public synchronized void pauseAccepting() {
        if (!paused && isOpen()) {
            paused = true;
            socket.stopAccept();
        }
    }

    /** Takes connections again after {@link #pauseAccepting()}. From any thread. */
    public synchronized void resumeAccepting() throws IoErrorException {
        if (paused && isOpen()) {
            paused = false;
            socket.startAccept(group.nextLoop(), acceptor);
        }
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
            synchronized (this) {
                socket.stopAccept();
                socket.close();
            }
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
