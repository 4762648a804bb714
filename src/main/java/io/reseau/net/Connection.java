package io.reseau.net;

import io.reseau.channel.Channel;
import io.reseau.channel.ChannelDirection;
import io.reseau.channel.ChannelOptions;
import io.reseau.channel.ChannelSlot;
import io.reseau.channel.MessagePool;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import io.reseau.internal.access.SocketAccess;
import io.reseau.socket.Socket;
import io.reseau.socket.SocketChannelHandler;
import io.reseau.tls.TlsChannelHandler;
import io.reseau.tls.TlsConnectionOptions;
import io.reseau.tls.TlsNegotiation;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;

/**
 * The bridge between one connected socket and the threads that read and write it, with the JDK
 * sockets' discipline: one reader and one writer at a time (a read lock and a write lock, each held
 * across the wait, so that a second reader queues behind the first instead of racing it and a
 * write's bytes are never interleaved with another's), and a close that fails the one waiting
 * inside, after which each queued caller fails in turn.
 *
 * <p>The bytes move through an {@link Engine}: the socket itself at first ({@link DirectEngine}),
 * the messages of a channel once {@link #startTls} has made one and put TLS in it
 * ({@link ChannelEngine}).
 */
final class Connection {
    private static final SocketAccess ACCESS = SocketAccess.get();
    /**
     * What the loop may read ahead of a reader once it reads for the connection (TLS): 1 MiB keeps a
     * stream's loop from stalling on credit while what is buffered still fits in cache.
     */
    static final long DEFAULT_READ_WINDOW = 1024 * 1024;
    /**
     * What a TLS writer may have in flight before it parks (it wakes at half): 512 KiB; a plain
     * writer sends directly, and the kernel's buffer is its bound.
     */
    static final long DEFAULT_WRITE_BOUND = 512 * 1024;
    /**
     * What a blocking socket's channel reads per loop turn: a whole read window at once, where
     * aws-c-io's 16 KiB would cost a loop turn per 16 KiB of a stream.
     */
    static final int MAX_READ_PER_TURN = 1024 * 1024;

    private volatile CallerLocks callerLocks; // made at the first read or write: idle connections are many
    private final EventLoop loop;
    private final Socket socket;
    private final MessagePool pool; // taken on the loop, where the per-loop pool is found
    private final long readWindow;
    private volatile long writeBound;
    private final DirectEngine direct;
    private volatile Engine engine; // changed under this object's monitor
    private boolean closed; // guarded by this object's monitor, as are changes of engine
    // Made on the loop by startTls: a plain connection has no channel (idle ones are many, and
    // its readers and writers use the socket themselves).
    private volatile Channel channel;
    private volatile ChannelSlot slot;
    private volatile FacadeHandler handler;
    private volatile ChannelEngine messages; // the engine the channel's messages go to, once TLS is started

    private Connection(Socket socket, long readWindow, long writeBound) {
        this.loop = socket.eventLoop();
        this.socket = socket;
        this.pool = MessagePool.PER_LOOP.get(loop);
        this.readWindow = readWindow;
        this.writeBound = writeBound;
        this.direct = new DirectEngine(this);
        this.engine = direct;
    }

    /**
     * A connection over a connected socket, which it owns from now on; its readers and writers use
     * the socket directly. On the socket's loop.
     */
    static Connection attach(Socket socket, long readWindow, long writeBound) {
        Connection connection = new Connection(socket, readWindow, writeBound);
        connection.direct.observeSocket();
        return connection;
    }

    Socket socket() {
        return socket;
    }

    EventLoop loop() {
        return loop;
    }

    Channel channel() {
        return channel;
    }

    ChannelSlot slot() {
        return slot;
    }

    MessagePool pool() {
        return pool;
    }

    FacadeHandler handler() {
        return handler;
    }

    long readWindow() {
        return readWindow;
    }

    long writeBound() {
        return writeBound;
    }

    void setWriteBound(long bound) {
        writeBound = Math.max(MessagePool.MAX_FRAGMENT_SIZE, bound);
    }

    /** Where the channel's read messages and write completions go: null until TLS is started. */
    ChannelEngine messages() {
        return messages;
    }

    // ---- user threads ----

    /** Up to {@code length} bytes, at least one; -1 at the end of the stream. */
    int read(byte[] bytes, int offset, int length, int timeoutMillis) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        long deadline = Blocking.deadline(timeoutMillis);
        ReentrantLock readLock = callerLocks().read();
        if (!Blocking.lock(readLock, deadline)) {
            throw new SocketTimeoutException("Read timed out"); // another reader held on
        }
        try {
            while (true) {
                int n = engine.read(bytes, offset, length, deadline);
                if (n != Engine.RETIRED) {
                    return n;
                }
            }
        } finally {
            readLock.unlock();
        }
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ReentrantLock writeLock = callerLocks().write();
        writeLock.lock();
        try {
            int written = 0;
            do {
                written += engine.write(bytes, offset + written, length - written);
            } while (written < length);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Sends one byte of TCP urgent data behind everything written before it, in turn with the
     * writers. Plain connections only: between TLS records it would break the stream (JSSE refuses
     * urgent data too).
     */
    void sendUrgentData(int data) throws IOException {
        ReentrantLock writeLock = callerLocks().write();
        writeLock.lock();
        try {
            engine.sendUrgentData((byte) data);
        } finally {
            writeLock.unlock();
        }
    }

    /** The lock a reader holds across its wait, and the one a writer holds across its write. */
    private record CallerLocks(ReentrantLock read, ReentrantLock write) {}

    private CallerLocks callerLocks() {
        CallerLocks locks = callerLocks;
        if (locks == null) {
            synchronized (this) {
                locks = callerLocks;
                if (locks == null) {
                    callerLocks = locks = new CallerLocks(new ReentrantLock(), new ReentrantLock());
                }
            }
        }
        return locks;
    }

    /** Bytes a read can take without waiting. */
    int available() throws IOException {
        return engine.available();
    }

    // What changes an engine's life goes to it under this object's monitor, where startTls changes
    // engines: it then reaches the engine that readers and writers will wait in.

    /** Reads return -1 from now on; what is buffered or arrives later is dropped. */
    synchronized void shutdownInput() {
        engine.shutdownInput();
    }

    /** Sends FIN (close_notify under TLS) once everything written so far has left. */
    synchronized void shutdownOutput() {
        engine.shutdownOutput();
    }

    /**
     * Fails blocked and later calls with "Socket closed", then (on the loop) flushes what was
     * written and shuts the channel down; with {@code reset}, drops what is queued and resets.
     */
    synchronized void close(boolean reset) {
        closed = true;
        engine.close(reset);
    }

    /**
     * Puts TLS between the socket and this connection and starts its handshake: the future
     * completes on the loop with how the handshake ended. From then on reads and writes carry
     * plaintext, through the loop. A read may start at once: it waits for the first plaintext, or
     * fails as the connection does when the handshake fails. The caller writes nothing until the
     * future completes (bytes already read stay read: a protocol that upgrades, such as STARTTLS,
     * reads up to the upgrade and no further). A second call fails the future, and so does a
     * connection that can no longer carry a handshake (closed, ended or half-closed). If TLS
     * cannot be put in place, the connection ends.
     */
    CompletableFuture<TlsNegotiation> startTls(TlsConnectionOptions options) {
        CompletableFuture<TlsNegotiation> result = new CompletableFuture<>();
        ChannelEngine next;
        synchronized (this) {
            IOException refused = closed ? SocketErrors.closed()
                    : engine != direct ? new SSLException("TLS was already started on this connection")
                    : direct.retire();
            if (refused != null) {
                result.completeExceptionally(refused);
                return result;
            }
            next = new ChannelEngine(this);
            messages = next;
            engine = next; // a reader or writer that was waiting in the direct engine goes on here
        }
        loop.scheduleNow(new Task("facade-start-tls", status -> {
            if (status != TaskStatus.RUN_READY || !socket.isOpen()) {
                result.completeExceptionally(SocketErrors.closed());
                closeSocket(IoError.SOCKET_CLOSED);
                return;
            }
            Channel.create(new ChannelOptions(loop, (made, error) -> onChannelSetUp(made, error, next, options, result),
                    (gone, error) -> gone.destroy(), true));
        }));
        return result;
    }

    /**
     * On the loop: the channel for TLS is ready. The socket's handler goes first, then TLS, then
     * this connection's; unless the connection was closed (or the loop shut down) meanwhile.
     */
    private void onChannelSetUp(Channel made, IoError error, ChannelEngine next, TlsConnectionOptions options,
            CompletableFuture<TlsNegotiation> result) {
        if (error != null || !socket.isOpen()) {
            made.destroy(); // no handler yet
            result.completeExceptionally(SocketErrors.closed());
            closeSocket(IoError.SOCKET_CLOSED);
            return;
        }
        ChannelSlot socketSlot = made.newSlot();
        try {
            socketSlot.setHandler(new SocketChannelHandler(socket, socketSlot, MAX_READ_PER_TURN, true));
            ChannelSlot facadeSlot = made.newSlot();
            made.insertEnd(facadeSlot);
            FacadeHandler facade = new FacadeHandler(this);
            facadeSlot.setHandler(facade); // with a closed window until TLS is in place
            handler = facade;
            slot = facadeSlot;
            channel = made;
            insertTls(next, options, result);
        } catch (Throwable t) {
            result.completeExceptionally(t);
            // Nothing reads the socket for this connection now: end it, so that a reader already
            // waiting hears of it (through the channel once the socket is in it).
            if (socketSlot.handler() == null) {
                made.destroy();
                closeSocket(IoError.SOCKET_CLOSED);
            } else {
                made.shutdown(t instanceof IoErrorException e ? e.error() : IoError.TLS_CTX_ERROR);
            }
        }
    }

    /** On the loop: the TLS slot left of this connection's, then the channel reads for the connection. */
    private void insertTls(ChannelEngine next, TlsConnectionOptions options, CompletableFuture<TlsNegotiation> result)
            throws IoErrorException {
        ChannelSlot tlsSlot = channel.newSlot();
        slot.insertLeft(tlsSlot);
        TlsChannelHandler tls;
        try {
            tls = new TlsChannelHandler(tlsSlot, options.withOnNegotiation((tlsHandler, negotiation) -> {
                if (options.onNegotiation() != null) {
                    options.onNegotiation().onNegotiation(tlsHandler, negotiation);
                }
                result.complete(negotiation);
            }), true);
        } catch (IoErrorException | RuntimeException e) {
            tlsSlot.remove();
            throw e;
        }
        next.tlsInPlace(tls);
        ACCESS.observeReadable(socket, null); // the socket handler reads from now on, for TLS
        tlsSlot.setHandler(tls);
        slot.incrementReadWindow(readWindow); // this connection takes messages from now on
        tls.startNegotiation();
    }

    // ---- for the engines ----

    /** The exception for a failed connection met by a read or a write, as the JDK words it. */
    IOException failure(IoError error, ChannelDirection direction) {
        return SocketErrors.ioFailure(error, direction, socket.isResetByPeer());
    }

    /** Something to do on the loop, for an engine. */
    interface LoopAction {
        void run() throws IoErrorException;
    }

    /** Runs {@code action} on the loop; a failure there means the connection ended meanwhile. */
    void onLoop(String name, LoopAction action) {
        loop.scheduleNow(new Task(name, status -> {
            try {
                action.run();
            } catch (IoErrorException e) {
                // the connection ended meanwhile: its engine already reports how
            }
        }));
    }

    /** Stops the socket's reading (on the loop): the kernel drops what arrives from now on. */
    void shutdownSocketInput() {
        onLoop("facade-shutdown-input", () -> {
            if (socket.isOpen()) {
                socket.shutdownInput();
            }
        });
    }

    /** Shuts the channel down cleanly; without one, closes the socket. On the loop. */
    void shutdownChannel() {
        Channel current = channel;
        if (current != null) {
            current.shutdown(null);
        } else {
            closeSocket(null);
        }
    }

    /**
     * Closes the socket of a connection without a channel and tells the engine what the channel's
     * shutdown would have: its read side ended ({@code error} null when cleanly), then the rest. On
     * the loop; the socket keeps its descriptor until the readers and writers inside it return.
     */
    private void closeSocket(IoError error) {
        socket.close();
        onReadShutdown(error);
        onChannelGone();
    }

    /**
     * Resets the connection now (SO_LINGER 0), dropping whatever is still queued. On the loop. The
     * shutdown says the socket is closed, not clean: TLS then sends no close_notify, which would
     * tell the peer the stream ended in order (the JDK's reset of a layered SSLSocket's socket
     * sends none either).
     */
    void abort() {
        try {
            if (socket.isOpen()) {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IoErrorException e) {
            // already gone: nothing to reset
        }
        Channel current = channel;
        if (current != null) {
            current.shutdown(IoError.SOCKET_CLOSED);
        } else {
            closeSocket(IoError.SOCKET_CLOSED);
        }
    }

    // ---- the loop: the channel's end, from the handler ----

    synchronized void onReadShutdown(IoError error) {
        engine.onReadShutdown(error);
    }

    synchronized void onChannelGone() {
        engine.onChannelGone();
    }
}
