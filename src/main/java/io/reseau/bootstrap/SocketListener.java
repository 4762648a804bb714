package io.reseau.bootstrap;

import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.OwningLoop;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import io.reseau.socket.AcceptListener;
import io.reseau.socket.Socket;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A listening socket made by {@link ServerBootstrap}. Closing it stops accepting; its
 * {@code onDestroy} runs once it is closed and its last connection has shut down.
 *
 * <p>It accepts on one loop, which alone starts and stops accepting, so that a stop the loop makes
 * by itself (its accept window ran out) and one the owner asks for from another thread never
 * cross: the stop takes effect before the loop accepts another connection.
 */
public final class SocketListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SocketListener.class.getName());
    private final Socket socket;
    private final Runnable onDestroy;
    private final EventLoop loop;
    // One reference for the listener itself, one per live connection.
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    // The loop's alone (see the class comment).
    private AcceptListener acceptor;
    private boolean paused; // the owner's wish: pauseAccepting
    private boolean accepting;
    // Connections it may still deliver before it stops by itself: taken on the loop, given back
    // from any thread. Only a give-back that reopens a closed window involves the loop.
    private final AtomicLong acceptWindow;

    SocketListener(Socket socket, Runnable onDestroy, EventLoop loop, long acceptWindow) {
        this.socket = socket;
        this.onDestroy = onDestroy;
        this.loop = loop;
        this.acceptWindow = new AtomicLong(acceptWindow);
    }

    void startAccepting(AcceptListener connections) throws IoErrorException {
        onLoop(loopAlive -> {
            acceptor = connections;
            updateAccepting();
        });
    }

    /**
     * Stops taking connections from the kernel, which then queues them in its backlog (and refuses
     * more once that is full); established connections are not affected. From any thread.
     */
    public void pauseAccepting() {
        try {
            onLoop(loopAlive -> {
                paused = true;
                updateAccepting();
            });
        } catch (IoErrorException e) {
            throw new IllegalStateException("stopping cannot fail", e);
        }
    }

    /** Takes connections again after {@link #pauseAccepting()}. From any thread. */
    public void resumeAccepting() throws IoErrorException {
        onLoop(loopAlive -> {
            paused = false;
            updateAccepting();
        });
    }

    /**
     * Lets the listener deliver {@code connections} more (see
     * {@link ServerListenerOptions#acceptWindow()}): the owner has taken that many off its hands.
     * From any thread; does not wait.
     *
     * @throws IllegalArgumentException if {@code connections} is not positive
     */
    public void incrementAcceptWindow(long connections) {
        if (connections <= 0) {
            throw new IllegalArgumentException("connections must be positive, got " + connections);
        }
        long before = acceptWindow.getAndUpdate(window -> window > Long.MAX_VALUE - connections ? Long.MAX_VALUE : window + connections);
        if (before > 0) {
            return; // still open: the loop is accepting, or stopped for another reason
        }
        // The loop closed it, and stopped accepting, when it took the last place: reopen there.
        if (loop.isOnLoopThread()) {
            reopen();
        } else {
            loop.scheduleNow(new Task("listener-accept-window", status -> {
                if (status == TaskStatus.RUN_READY) {
                    reopen();
                }
            }));
        }
    }

    private void reopen() {
        try {
            updateAccepting();
        } catch (IoErrorException e) {
            LOG.log(System.Logger.Level.WARNING, "the listener could not take connections again: " + e.getMessage());
        }
    }

    /** On the loop: a connection is on its way to {@code onIncoming}, using one place in the window. */
    void tookConnection() {
        if (acceptWindow.get() != ServerListenerOptions.UNBOUNDED_ACCEPT_WINDOW && acceptWindow.decrementAndGet() == 0) {
            try {
                updateAccepting();
            } catch (IoErrorException e) {
                throw new IllegalStateException("stopping cannot fail", e);
            }
        }
    }

    /** On the loop: accept exactly while open, not paused, and with room in the window. */
    private void updateAccepting() throws IoErrorException {
        boolean wanted = !paused && acceptWindow.get() > 0 && isOpen();
        if (wanted && !accepting) {
            socket.startAccept(loop, acceptor);
            accepting = true;
        } else if (!wanted && accepting) {
            socket.stopAccept();
            accepting = false;
        }
    }

    /** Runs {@code change} on the loop and waits for it; on a destroyed loop, on the caller. */
    private void onLoop(OwningLoop.Work change) throws IoErrorException {
        OwningLoop.run(loop, "listener-accepting", change);
    }

    /** The address it listens on, with the real port when port 0 was asked for. */
    public SocketAddress localAddress() {
        return socket.localAddress();
    }

    /** The loop it accepts on. */
    public EventLoop eventLoop() {
        return loop;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /** Stops accepting and closes the listening socket; established connections carry on. From any thread. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                onLoop(loopAlive -> updateAccepting());
            } catch (IoErrorException e) {
                throw new IllegalStateException("stopping cannot fail", e);
            }
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
