package io.reseau.socket;

import static io.reseau.socket.SocketState.BOUND;
import static io.reseau.socket.SocketState.CLOSED;
import static io.reseau.socket.SocketState.CONNECTED_READ;
import static io.reseau.socket.SocketState.CONNECTED_WRITE;
import static io.reseau.socket.SocketState.CONNECTING;
import static io.reseau.socket.SocketState.ERROR;
import static io.reseau.socket.SocketState.INIT;
import static io.reseau.socket.SocketState.LISTENING;
import static io.reseau.socket.SocketState.TIMEDOUT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.IoEvents;
import io.reseau.eventloop.IoHandle;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import io.reseau.internal.access.SocketAccess;
import io.reseau.internal.ffi.Errno;
import io.reseau.internal.ffi.Libc;
import io.reseau.internal.ffi.SocketAddresses;
import io.reseau.internal.ffi.SocketCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A non-blocking socket driven by an event loop (aws-c-io's POSIX {@code aws_socket}): TCP or UDP
 * over IPv4 or IPv6, or a Unix domain socket.
 *
 * <p>Threads: a new socket belongs to its creator until it gets an event loop (by
 * {@link #connect}, {@link #startAccept} or {@link #assignToEventLoop}); from then on only that
 * loop's thread may read, write or shut it down. {@link #close()} and {@link #stopAccept()} work
 * from any thread: they run on the loop and wait for it (so do not call them from another loop's
 * thread), or run at once when the loop is already gone.
 *
 * <p>Errors: a wrong state or thread is a bug and throws {@link IllegalStateException}; a bad
 * address throws {@link IllegalArgumentException}; what the operating system refuses throws
 * {@link IoErrorException} or reaches the callback, mapped as aws-c-io maps errno. Callbacks run
 * on the loop: a connect reports exactly once (also when the socket is closed first, with
 * {@code SOCKET_CLOSED}); a write completion always runs in a later task than its write.
 */
public final class Socket {
    private static final System.Logger LOG = System.getLogger(Socket.class.getName());

    static {
        SocketAccess.install(new FacadeAccess()); // the facade's calls that are not this class's API
    }

    private volatile SocketOptions options;
    private final int fd;
    private final IoHandle handle;
    private volatile int state;
    private volatile EventLoop loop;
    private boolean subscribed;
    private boolean watchingWritable;
    private Runnable writableWaiter;
    private SocketAddress localAddress; // a bound socket's until it connects (listeners keep theirs)
    private SocketAddress remoteAddress;
    private volatile boolean resetByPeer;
    private volatile boolean inputShutdown;
    private final SharedDescriptor shared; // sendNow, receiveNow and bytesReadable, against close
    private Runnable readableObserver; // loop thread only
    private boolean hangUpWhileObserved; // loop thread only: the observer had the peer's end announced

    // What setOption and setOutOfBandInline set before the socket connected: what a sibling
    // repeats. Null until one is set; connected and accepted sockets never keep any.
    private PresetOptions presets;

    private ConnectCallback connectCallback;
    private SocketAddress connectTarget;
    private Task connectTimeoutTask; // while connecting

    private Acceptor acceptor; // a listener's, made before the volatile state says LISTENING

    private ReadableCallback readableCallback;

    // The write queue, made at the first write (loop thread only): an idle socket, or one its
    // owner writes to directly (sendNow), never pays for it.
    private WriteQueue writes;
    private boolean writesHeld; // writes queue without a send until releaseWrites
    private Task writeCompletionTask;

    /**
     * Opens a non-blocking, close-on-exec socket and applies the options. aws-c-io sets SO_REUSEADDR
     * on every socket, and so do Reseau's default options.
     *
     * @throws IoErrorException if the socket cannot be created or bound to the named interface
     *     ({@code SOCKET_INVALID_OPTIONS})
     */
    public Socket(SocketOptions options) throws IoErrorException {
        this.options = Objects.requireNonNull(options, "options");
        int type = (options.type() == SocketType.STREAM ? SocketCalls.SOCK_STREAM : SocketCalls.SOCK_DGRAM)
                | SocketCalls.SOCK_NONBLOCK | SocketCalls.SOCK_CLOEXEC;
        int created = SocketCalls.socket(options.domain().family, type, 0);
        if (created < 0) {
            throw IoErrorException.fromErrno("socket", -created);
        }
        this.fd = created;
        this.shared = new SharedDescriptor(created);
        this.handle = new IoHandle(created);
        this.state = INIT;
        if (options.domain() == SocketDomain.IPV6) {
            // Dual stack whatever the system default (net.ipv6.bindv6only): IPv4 peers as mapped
            // addresses. Only before binding: an accepted connection cannot change it.
            NativeSocketOptions.setOrWarn(fd, SocketCalls.IPPROTO_IPV6, SocketCalls.IPV6_V6ONLY, 0, "IPV6_V6ONLY", this);
        }
        try {
            NativeSocketOptions.apply(fd, options, this);
        } catch (IoErrorException e) {
            Libc.close(created);
            this.state = CLOSED;
            throw e;
        }
    }

    private Socket(SocketOptions options, int fd, SocketAddress remote) {
        this.options = options;
        this.fd = fd;
        this.shared = new SharedDescriptor(fd);
        this.handle = new IoHandle(fd);
        this.state = CONNECTED_READ | CONNECTED_WRITE;
        this.remoteAddress = remote;
    }

    /** A connection a listener accepted, with the listener's options. */
    static Socket accepted(SocketOptions options, int fd, SocketAddress remote) {
        Socket connection = new Socket(options, fd, remote);
        try {
            NativeSocketOptions.apply(fd, options, connection);
        } catch (IoErrorException e) {
            LOG.log(System.Logger.Level.WARNING, "options not applied to an accepted socket: " + e.getMessage());
        }
        return connection;
    }

    public SocketOptions options() {
        return options;
    }

    /** The descriptor: its acceptor's, and tests', which inspect it. */
    int fd() {
        return fd;
    }

    /** The event loop the socket belongs to, or null before it has one. */
    public EventLoop eventLoop() {
        return loop;
    }

    /**
     * The bound or connected local address (the real port after binding port 0), or null; null
     * too for a connection once it is closed. A connection asks the kernel each time, as the JDK's
     * sockets do, instead of keeping it: idle connections are many. From any thread.
     */
    public SocketAddress localAddress() {
        SocketAddress bound = localAddress;
        if (bound != null || remoteAddress == null || !shared.enter()) { // a connection has a peer, shut down or not
            return bound;
        }
        try {
            return queryAddress(true);
        } finally {
            shared.exit();
        }
    }

    /** The peer's address once connected or accepted, or null. */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    public boolean isOpen() {
        return (state & CLOSED) == 0;
    }

    /** The socket's pending error (SO_ERROR), or null when there is none. */
    public IoError pendingError() {
        int error = SocketCalls.getIntOption(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_ERROR);
        return error == 0 ? null : IoError.fromErrno(error < 0 ? -error : error);
    }

    /**
     * Sets a socket option: SO_SNDBUF, SO_RCVBUF, SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE, SO_LINGER,
     * TCP_NODELAY, IP_TOS and jdk.net's TCP_KEEPIDLE / TCP_KEEPINTERVAL / TCP_KEEPCOUNT / TCP_QUICKACK
     * (where the kernel has it). On the thread that owns the socket (its loop's, once it has one).
     *
     * @throws UnsupportedOperationException for any other option, and for SO_INCOMING_NAPI_ID, which
     *     {@link #getOption} reads
     */
    public <T> void setOption(java.net.SocketOption<T> option, T value) throws IoErrorException {
        requireOwner("setOption");
        requireOpen();
        NativeSocketOptions.set(fd, options.domain(), option, value);
        if (isUnconnected()) {
            presets().record(option, value);
        }
    }

    /**
     * Keeps urgent bytes in the stream where they were sent (SO_OOBINLINE), or drops them from it
     * (off, the default). On the thread that owns the socket, as {@link #setOption}.
     */
    public void setOutOfBandInline(boolean inline) throws IoErrorException {
        requireOwner("setOutOfBandInline");
        requireOpen();
        NativeSocketOptions.setOutOfBandInline(fd, inline);
        if (isUnconnected()) {
            presets().recordOutOfBandInline(inline);
        }
    }

    /** Whether urgent bytes stay in the stream; see {@link #setOutOfBandInline}. */
    public boolean isOutOfBandInline() throws IoErrorException {
        requireOwner("isOutOfBandInline");
        requireOpen();
        return NativeSocketOptions.isOutOfBandInline(fd);
    }

    /** Reads a socket option; see {@link #setOption}. */
    public <T> T getOption(java.net.SocketOption<T> option) throws IoErrorException {
        requireOwner("getOption");
        requireOpen();
        return NativeSocketOptions.get(fd, options.domain(), option);
    }

    /**
     * Checks a value as {@link #setOption} would, from any thread and without a socket: a caller on
     * another thread can refuse bad input at once, then set the option on the loop.
     */
    public static <T> void checkOptionValue(java.net.SocketOption<T> option, T value) {
        NativeSocketOptions.checkValue(option, value);
    }

    /**
     * Whether setting {@code option} to a value {@link #checkOptionValue} passed cannot fail on an
     * open socket, so that a caller on another thread need not wait to learn the outcome.
     */
    public static boolean optionAcceptsEveryCheckedValue(java.net.SocketOption<?> option) {
        return NativeSocketOptions.acceptsEveryCheckedValue(option);
    }

    /** The options {@link #setOption} supports. */
    public static java.util.Set<java.net.SocketOption<?>> supportedOptions() {
        return NativeSocketOptions.SUPPORTED;
    }

    /**
     * Whether the peer reset the connection (a read or write saw ECONNRESET or EPIPE). aws-c-io reports
     * a reset and an orderly end alike as {@code SOCKET_CLOSED}; this tells them apart.
     */
    public boolean isResetByPeer() {
        return resetByPeer;
    }

    /**
     * A new socket for another attempt at what this unconnected TCP socket connects to (a
     * connection race): this socket's options with {@code connectTimeout}, and every option
     * {@link #setOption} and {@link #setOutOfBandInline} set on it before it connected. Not bound:
     * a bound address is this socket's alone. On the thread that owns this socket; open or not.
     *
     * @throws IoErrorException if the socket cannot be made or an option not set on it
     */
    public Socket openSibling(Duration connectTimeout) throws IoErrorException {
        requireOwner("openSibling");
        Socket sibling = new Socket(options.withConnectTimeout(connectTimeout));
        try {
            if (presets != null) {
                presets.applyTo(sibling);
            }
        } catch (IoErrorException | RuntimeException e) {
            sibling.close();
            throw e;
        }
        return sibling;
    }

    private PresetOptions presets() {
        if (presets == null) {
            presets = new PresetOptions();
        }
        return presets;
    }

    private boolean isUnconnected() {
        return (state & (INIT | BOUND)) != 0;
    }

    /** Applies new options; the type and domain cannot change. */
    public void setOptions(SocketOptions newOptions) throws IoErrorException {
        if (newOptions.type() != options.type() || newOptions.domain() != options.domain()) {
            throw new IllegalArgumentException("a socket's type and domain cannot change");
        }
        NativeSocketOptions.apply(fd, newOptions, this);
        options = newOptions;
    }

    // ---- bind, listen, accept ----

    /**
     * Binds to {@code local}; port 0 picks a free port, readable at once from {@link #localAddress()}.
     * A UDP socket is readable from here on.
     */
    public void bind(SocketAddress local) throws IoErrorException {
        requireState(INIT, "bind");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SocketAddresses.SOCKADDR_STORAGE);
            int length = writeAddress(local, address);
            int rc = SocketCalls.bind(fd, address, length);
            if (rc < 0) {
                throw IoErrorException.fromErrno("bind to " + local, -rc);
            }
            localAddress = queryAddress(true);
        }
        state = options.type() == SocketType.STREAM ? BOUND : CONNECTED_READ;
    }

    public void listen(int backlog) throws IoErrorException {
        requireState(BOUND, "listen");
        int rc = SocketCalls.listen(fd, backlog);
        if (rc < 0) {
            throw IoErrorException.fromErrno("listen", -rc);
        }
        acceptor = new Acceptor(this);
        state = LISTENING;
    }

    /**
     * Accepts connections on {@code loop}: each reaches {@code listener} unassigned, to be given a
     * loop or closed. {@link AcceptListener#onAcceptStarted} follows in a loop task. A failed accept
     * (out of descriptors, say) reaches {@code listener} as an error, and the socket tries again by
     * itself, 10 ms later at first, backing off to once a second, until accepting works or stops.
     */
    public void startAccept(EventLoop acceptLoop, AcceptListener listener) throws IoErrorException {
        Objects.requireNonNull(acceptLoop, "acceptLoop");
        Objects.requireNonNull(listener, "listener");
        requireState(LISTENING, "startAccept");
        if (loop != null) {
            throw new IllegalStateException(IoError.EVENT_LOOP_ALREADY_ASSIGNED.awsName() + ": already accepting on "
                    + loop.name());
        }
        acceptor.start(listener);
        loop = acceptLoop;
        try {
            acceptLoop.subscribe(handle, IoEvents.READABLE, this::onIoEvent);
        } catch (IoErrorException | RuntimeException e) {
            acceptor.stop(acceptLoop, true);
            loop = null;
            throw e;
        }
        subscribed = true;
        acceptLoop.scheduleNow(new Task("socket-accept-started", status -> {
            if (acceptor.listener() == listener) {
                listener.onAcceptStarted(this, status == TaskStatus.RUN_READY ? null : IoError.EVENT_LOOP_SHUTDOWN);
            }
        }));
    }

    /**
     * Stops accepting; the listener stays bound and may accept again. From any thread; on the
     * loop's own thread (from the accept listener, say) it takes effect at once: no further
     * connection is accepted, not even one already waiting in the kernel.
     */
    public void stopAccept() {
        EventLoop current = loop;
        if (current == null || (state & LISTENING) == 0) {
            return;
        }
        LoopAction stop = loopAlive -> {
            acceptor.stop(current, loopAlive);
            if (loopAlive) {
                unsubscribe();
            }
            subscribed = false;
            loop = null;
        };
        if (current.isOnLoopThread()) {
            stop.run(true);
        } else {
            onOwningLoop(current, stop);
        }
    }

    // ---- connect ----

    /**
     * Connects to {@code remote} on {@code connectLoop}; {@code callback} runs there exactly once.
     * An IPv6 socket reaches IPv4 peers as mapped addresses; a UDP socket only sets its peer. A socket
     * may be bound first, to choose its local address.
     *
     * @throws IllegalArgumentException if the address does not suit the socket's domain, or its port is 0
     */
    public void connect(SocketAddress remote, EventLoop connectLoop, ConnectCallback callback) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(connectLoop, "connectLoop");
        Objects.requireNonNull(callback, "callback");
        // A bound TCP socket may connect too (bind first to choose the local address).
        int allowed = options.type() == SocketType.STREAM ? INIT | BOUND : INIT | CONNECTED_READ;
        requireState(allowed, "connect");
        if (remote instanceof InetSocketAddress inet && inet.getPort() == 0) {
            throw new IllegalArgumentException("cannot connect to port 0: " + remote);
        }
        try (Arena arena = Arena.ofConfined()) {
            writeAddress(remote, arena.allocate(SocketAddresses.SOCKADDR_STORAGE)); // validates
        }
        if (loop != null && loop != connectLoop) {
            throw new IllegalStateException(IoError.EVENT_LOOP_ALREADY_ASSIGNED.awsName() + ": the socket is on "
                    + loop.name());
        }
        connectTarget = remote;
        connectCallback = callback;
        state = CONNECTING;
        loop = connectLoop;
        // Always a task, even on the loop thread: the callback never runs inside connect().
        connectLoop.scheduleNow(new Task("socket-connect", this::startConnect));
    }

    private void startConnect(TaskStatus status) {
        if (connectCallback == null) {
            return; // closed before the connect task ran; close() already reported it
        }
        if (status == TaskStatus.CANCELED) {
            failConnect(IoError.EVENT_LOOP_SHUTDOWN);
            return;
        }
        int rc;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SocketAddresses.SOCKADDR_STORAGE);
            rc = SocketCalls.connect(fd, address, writeAddress(connectTarget, address));
        }
        if (rc == 0) {
            onConnected();
        } else if (rc == -Errno.EINPROGRESS || rc == -Errno.EALREADY) {
            if (!subscribe(IoEvents.READABLE | IoEvents.WRITABLE)) {
                return;
            }
            long timeout = options.connectTimeout().toNanos();
            connectTimeoutTask = new Task("socket-connect-timeout", this::onConnectTimeout);
            // Without a timeout the task waits forever, but it is still cancelled if the loop is
            // destroyed first: the callback then reports EVENT_LOOP_SHUTDOWN instead of never running.
            loop.scheduleFuture(connectTimeoutTask, timeout == 0 ? Long.MAX_VALUE : loop.currentTimeNanos() + timeout);
        } else {
            failConnect(IoError.fromErrno(-rc));
        }
    }

    private void onConnectEvent(int events) {
        int error = SocketCalls.getIntOption(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_ERROR);
        if (error != 0) {
            failConnect(IoError.fromErrno(Math.abs(error)));
        } else if ((events & (IoEvents.READABLE | IoEvents.WRITABLE)) != 0) {
            onConnected();
        }
    }

    private void onConnected() {
        localAddress = null; // what it was bound to, perhaps a wildcard: the connection's is the kernel's to say
        remoteAddress = connectTarget;
        state = CONNECTED_READ | CONNECTED_WRITE;
        if (subscribed) {
            // Connecting needed writability; from now on only a write that waits does.
            if (!watchWritable(false)) {
                return;
            }
        } else if (!subscribe(IoEvents.READABLE)) {
            return;
        }
        ConnectCallback callback = takeConnectCallback();
        callback.onConnectionResult(this, null);
    }

    private void failConnect(IoError error) {
        unsubscribe();
        state = ERROR;
        ConnectCallback callback = takeConnectCallback();
        callback.onConnectionResult(this, error);
    }

    private void onConnectTimeout(TaskStatus status) {
        if (connectCallback == null) {
            return;
        }
        ConnectCallback callback = takeConnectCallback();
        state = TIMEDOUT;
        closeOnLoop(true);
        callback.onConnectionResult(this, status == TaskStatus.CANCELED ? IoError.EVENT_LOOP_SHUTDOWN : IoError.SOCKET_TIMEOUT);
    }

    /** Clears the pending connect and its timeout; the timeout task then finds nothing to do. */
    private ConnectCallback takeConnectCallback() {
        ConnectCallback callback = connectCallback;
        connectCallback = null;
        connectTarget = null;
        cancelConnectTimeout();
        return callback;
    }

    // ---- connected sockets ----

    /** Gives an accepted (or otherwise connected) socket to {@code newLoop}, which then owns it. */
    public void assignToEventLoop(EventLoop newLoop) throws IoErrorException {
        Objects.requireNonNull(newLoop, "newLoop");
        if (loop != null) {
            throw new IllegalStateException(IoError.EVENT_LOOP_ALREADY_ASSIGNED.awsName() + ": the socket is on "
                    + loop.name());
        }
        requireState(CONNECTED_READ | CONNECTED_WRITE, "assignToEventLoop");
        loop = newLoop;
        newLoop.subscribe(handle, IoEvents.READABLE, this::onIoEvent);
        subscribed = true;
    }

    /**
     * Delivers readability to {@code callback}. Once, right after this call, it is told as if the
     * socket had turned readable, so bytes that arrived before are not missed. Loop thread only.
     */
    public void subscribeToReadableEvents(ReadableCallback callback) {
        Objects.requireNonNull(callback, "callback");
        requireLoopThread("subscribeToReadableEvents");
        requireState(CONNECTED_READ, "subscribeToReadableEvents");
        if (readableCallback != null) {
            throw new IllegalStateException(IoError.ALREADY_SUBSCRIBED.awsName() + ": the socket already has a reader");
        }
        readableCallback = callback;
        scheduleReadableCheck(null);
    }

    /**
     * Reads into {@code buffer[offset, offset + length)}. Loop thread only.
     *
     * @return the bytes read, or 0 when none are available now (wait for the next readable event)
     * @throws IoErrorException {@code SOCKET_CLOSED} at the end of the stream or after a reset;
     *     other errors as mapped
     */
    public long read(MemorySegment buffer, long offset, long length) throws IoErrorException {
        requireLoopThread("read");
        if ((state & CONNECTED_READ) == 0) {
            throw notConnected("read");
        }
        return readResult(Libc.read(fd, buffer.asSlice(offset, length), length));
    }

    private long readResult(long n) throws IoErrorException {
        if (n > 0) {
            return n;
        }
        if (n == -Errno.EAGAIN) {
            return 0;
        }
        if (n == 0) {
            throw new IoErrorException(IoError.SOCKET_CLOSED, "read reached the end of the stream");
        }
        noteReset((int) -n);
        throw IoErrorException.fromErrno("read", (int) -n);
    }

    /**
     * Reads into several buffers in one call ({@code readv}): {@code iovecs} holds {@code count}
     * {@code struct iovec}s, filled in order. Loop thread only.
     *
     * @return the bytes read, or 0 when none are available now
     * @throws IoErrorException as {@link #read}
     */
    public long read(MemorySegment iovecs, int count) throws IoErrorException {
        requireLoopThread("read");
        if ((state & CONNECTED_READ) == 0) {
            throw notConnected("read");
        }
        return readResult(Libc.readv(fd, iovecs, count));
    }

    /**
     * Queues {@code data[offset, offset + length)} for writing and tries to send it at once. The
     * bytes must stay untouched until {@code callback} runs, which is always in a later task.
     * {@code data} must be native memory: queued writes are gathered into one {@code sendmsg},
     * whose vectors point at it. Loop thread only.
     *
     * @throws IoErrorException if this write failed at once (no callback then); the writes queued
     *     behind it complete with the same error
     */
    public void write(MemorySegment data, long offset, long length, WriteCallback callback, Object context)
            throws IoErrorException {
        Objects.requireNonNull(callback, "callback");
        if (!data.isNative()) {
            throw new IllegalArgumentException("write needs native memory, got a heap segment");
        }
        requireLoopThread("write");
        if ((state & CONNECTED_WRITE) == 0) {
            throw notConnected("write");
        }
        if (writes == null) {
            writes = new WriteQueue();
            writeCompletionTask = new Task("socket-write-completions", status -> writes.completeFinished(this));
        }
        WriteRequest request = writes.add(data, offset, length, callback, context);
        if (writes.isOnly(request) && !writesHeld) {
            IoError failed = flushWrites(request);
            if (failed != null) {
                throw new IoErrorException(failed, "write failed");
            }
        }
    }

    /**
     * Queues the writes that follow without sending them, until {@link #releaseWrites}: an owner
     * about to write many messages (a TLS record each) has them leave in one {@code sendmsg}
     * instead of one each. Loop thread only.
     */
    void holdWrites() {
        requireLoopThread("hold writes");
        writesHeld = true;
    }

    /**
     * Sends what {@link #holdWrites} kept back, gathered. A failure reaches the held writes'
     * callbacks, as for any queued write. Loop thread only.
     */
    void releaseWrites() {
        requireLoopThread("release writes");
        writesHeld = false;
        if (hasPendingWrites() && isOpen()) {
            flushWrites(null);
        }
    }

    /**
     * Sends what the kernel takes of {@code data[offset, offset + length)} at once, from any thread,
     * outside the write queue. {@code data} may be a heap segment: the kernel then copies straight
     * from the array.
     *
     * <p>For an owner that knows what the socket cannot check: nothing of its own waits in the write
     * queue (or the bytes would overtake it). Safe against a concurrent close: the descriptor stays
     * open until the call returns (the last call out of a closed socket closes it).
     *
     * @return the bytes sent, 0 when the kernel's buffer is full
     * @throws IoErrorException if the connection failed
     */
    long sendNow(MemorySegment data, long offset, long length) throws IoErrorException {
        return sendDirectly(data.asSlice(offset, length), SocketCalls.MSG_NOSIGNAL);
    }

    /**
     * Sends one byte of TCP urgent data ({@code MSG_OOB}) at once, from any thread, as
     * {@link #sendNow} does: the peer's kernel marks it, and keeps it in the stream only with
     * SO_OOBINLINE. The same rule holds: nothing of the owner's own waits in the write queue.
     *
     * @return false when the kernel's buffer is full (nothing sent)
     * @throws IoErrorException if the connection failed
     */
    boolean sendUrgentNow(byte data) throws IoErrorException {
        return sendDirectly(MemorySegment.ofArray(new byte[] {data}), SocketCalls.MSG_NOSIGNAL | SocketCalls.MSG_OOB) > 0;
    }

    private long sendDirectly(MemorySegment data, int flags) throws IoErrorException {
        if ((state & CONNECTED_WRITE) == 0 || !shared.enter()) {
            throw notConnected("write");
        }
        long n;
        try {
            n = SocketCalls.send(fd, data, data.byteSize(), flags);
        } finally {
            shared.exit();
        }
        if (n >= 0) {
            return n;
        }
        if (n == -Errno.EAGAIN) {
            return 0;
        }
        noteReset((int) -n);
        throw IoErrorException.fromErrno("send", (int) -n);
    }

    /**
     * Reads what the kernel has into {@code data[offset, offset + length)} at once, from any thread,
     * beside the loop's reads. {@code data} may be a heap segment: the kernel then copies straight
     * into the array. For an owner whose channel does not read this socket itself (its window is
     * closed): bytes the loop read meanwhile would otherwise come out of order. Safe against a
     * concurrent close: the descriptor stays open until the call returns.
     *
     * @return the bytes read, or 0 when none are available now (see {@link #observeReadable})
     * @throws IoErrorException {@code SOCKET_CLOSED} at the end of the stream or after a reset
     *     ({@link #isResetByPeer}); other errors as mapped
     */
    long receiveNow(MemorySegment data, long offset, long length) throws IoErrorException {
        if ((state & CONNECTED_READ) == 0 || !shared.enter()) {
            throw notConnected("read");
        }
        try {
            return readResult(SocketCalls.recv(fd, data.asSlice(offset, length), length, 0));
        } finally {
            shared.exit();
        }
    }

    /** The bytes received and not yet read ({@code FIONREAD}); 0 once closed. From any thread. */
    int bytesReadable() {
        if (!shared.enter()) {
            return 0;
        }
        try {
            return Math.max(0, SocketCalls.ioctlInt(fd, SocketCalls.FIONREAD));
        } finally {
            shared.exit();
        }
    }

    /**
     * Runs {@code observer} on the loop at every readability event (bytes, the end of the stream,
     * an error) instead of the readable callback: how an owner reading with {@link #receiveNow}
     * learns when to try again, while the reader the callback belongs to stands aside. Loop thread
     * only; null gives the events back to the readable callback, which is then told once, right
     * after, as if the socket had turned readable (with the hang-up, if the observer was told of
     * one): the loop's events are edges, and those the observer had are not repeated, so bytes
     * and an end of stream that came meanwhile would otherwise never be announced to it.
     */
    void observeReadable(Runnable observer) {
        requireLoopThread("observeReadable");
        boolean handedBack = readableObserver != null && observer == null;
        readableObserver = observer;
        if (handedBack && readableCallback != null) {
            scheduleReadableCheck(hangUpWhileObserved ? IoError.SOCKET_CLOSED : null);
        }
        hangUpWhileObserved = false;
    }

    /**
     * Runs {@code whenWritable} once, on the loop, when the kernel has room for more bytes: at once
     * (in the next event) if it has room now. For owners that send with {@link #sendNow} and wait
     * after the kernel's buffer filled. Loop thread only.
     */
    void notifyWhenWritable(Runnable whenWritable) {
        Objects.requireNonNull(whenWritable, "whenWritable");
        requireLoopThread("notifyWhenWritable");
        writableWaiter = whenWritable;
        watchWritable(true); // re-arming reports writability that is already there
    }

    /** Sends FIN: the peer reads the end of the stream; this side can still read. */
    public void shutdownOutput() throws IoErrorException {
        shutdownDirection(SocketCalls.SHUT_WR, CONNECTED_WRITE);
    }

    /** Stops reading: later reads see no data. */
    public void shutdownInput() throws IoErrorException {
        shutdownDirection(SocketCalls.SHUT_RD, CONNECTED_READ);
        inputShutdown = true;
    }

    /** Whether {@link #shutdownInput()} was called: reads now fail with {@code SOCKET_NOT_CONNECTED}. */
    public boolean isInputShutdown() {
        return inputShutdown;
    }

    /**
     * Closes the socket. Pending writes complete at once (on the loop, within the close) with their
     * own result or {@code SOCKET_CLOSED}; a pending connect reports {@code SOCKET_CLOSED}.
     * Idempotent, and from any thread (see the class comment). A close that lingers (SO_LINGER
     * above 0) finishes on a closer thread: see {@link #whenDescriptorClosed()}.
     */
    public void close() {
        EventLoop current = loop;
        if (current == null || current.isOnLoopThread()) {
            closeOnLoop(true);
        } else {
            onOwningLoop(current, this::closeOnLoop);
        }
    }

    /**
     * Completes once the descriptor is closed. Usually that is within {@link #close()}; a TCP
     * socket whose SO_LINGER is above 0 has its close(2), which the kernel holds until the peer has
     * acknowledged what is unsent (or the time has run out), run on a closer thread, never on the
     * loop: this tells when it has returned. From any thread.
     */
    CompletableFuture<Void> whenDescriptorClosed() {
        return shared.whenClosed();
    }

    @Override
    public String toString() {
        return "Socket[fd=" + fd + ", " + options.type() + "/" + options.domain() + ", local=" + localAddress()
                + ", remote=" + remoteAddress + (isOpen() ? "" : ", closed") + "]";
    }

    // ---- event dispatch ----

    private void onIoEvent(EventLoop eventLoop, IoHandle ioHandle, int events) {
        int current = state;
        if ((current & CONNECTING) != 0) {
            onConnectEvent(events);
        } else if ((current & LISTENING) != 0) {
            acceptor.onReadable();
        } else {
            onConnectedEvent(events);
        }
    }

    private void onConnectedEvent(int events) {
        boolean readability = (events & (IoEvents.READABLE | IoEvents.REMOTE_HANG_UP | IoEvents.CLOSED | IoEvents.ERROR)) != 0;
        if (readableObserver != null) {
            if (readability) {
                hangUpWhileObserved |= (events & (IoEvents.REMOTE_HANG_UP | IoEvents.CLOSED | IoEvents.ERROR)) != 0;
                readableObserver.run();
            }
            if ((events & IoEvents.WRITABLE) != 0 && isOpen()) {
                onWritable();
            }
            return; // the observer's owner reads the socket: the readable callback has nothing to do
        }
        if ((events & IoEvents.READABLE) != 0 && readableCallback != null) {
            readableCallback.onReadable(this, null);
        }
        if ((events & IoEvents.WRITABLE) != 0 && isOpen()) {
            onWritable();
        }
        if (!isOpen() || readableCallback == null) {
            return;
        }
        if ((events & (IoEvents.REMOTE_HANG_UP | IoEvents.CLOSED)) != 0) {
            readableCallback.onReadable(this, IoError.SOCKET_CLOSED);
        } else if ((events & IoEvents.ERROR) != 0) {
            IoError error = pendingError();
            readableCallback.onReadable(this, error == null ? IoError.SOCKET_CLOSED : error);
        }
    }

    private void onWritable() {
        flushWrites(null);
        Runnable waiter = writableWaiter;
        writableWaiter = null;
        if (waiter != null) {
            waiter.run();
        }
        if (!hasPendingWrites() && writableWaiter == null && watchingWritable && isOpen()) {
            watchWritable(false);
        }
    }

    /** Tells the readable callback, in a task, that the socket may be readable ({@code end}: and has hung up). */
    private void scheduleReadableCheck(IoError end) {
        loop.scheduleNow(new Task("socket-readable-check", status -> {
            if (status == TaskStatus.RUN_READY && readableCallback != null && readableObserver == null && isOpen()) {
                readableCallback.onReadable(this, end);
            }
        }));
    }

    // ---- writes ----

    /**
     * Sends queued writes until the kernel would block. A hard error fails every queued write;
     * the one given as {@code synchronous} is then left to its caller (returned, no callback).
     */
    private IoError flushWrites(WriteRequest synchronous) {
        IoVectors vectors = IoVectors.PER_LOOP.get(loop);
        while (hasPendingWrites()) {
            int count = writes.gather(vectors); // the queued writes, in one send
            long n = SocketCalls.sendmsg(fd, vectors.message(count), SocketCalls.MSG_NOSIGNAL);
            if (n >= 0) {
                writes.advance(n);
                if (n < writes.gathered()) {
                    n = -Errno.EAGAIN; // the kernel's buffer is full: wait until it has room
                } else {
                    continue;
                }
            }
            if (n == -Errno.EAGAIN) {
                if (!watchingWritable) {
                    watchWritable(true);
                }
                break;
            }
            noteReset((int) -n);
            IoError returned = writes.failAll(IoError.fromErrno((int) -n), synchronous);
            scheduleWriteCompletions();
            return returned;
        }
        scheduleWriteCompletions();
        return null;
    }

    /**
     * Subscribes to writability only while writes wait for room: a socket watched for it at all
     * times is reported writable at every acknowledgement on some kernels (gVisor), waking the loop.
     */
    private boolean watchWritable(boolean watch) {
        try {
            loop.modifySubscription(handle, watch ? IoEvents.READABLE | IoEvents.WRITABLE : IoEvents.READABLE);
            watchingWritable = watch;
            return true;
        } catch (IoErrorException e) {
            if (connectCallback != null) {
                failConnect(e.error());
            } else {
                LOG.log(System.Logger.Level.WARNING, "could not change what " + this + " waits for: " + e.getMessage());
            }
            return false;
        }
    }

    private boolean hasPendingWrites() {
        return writes != null && writes.hasPending();
    }

    private void cancelConnectTimeout() {
        if (connectTimeoutTask != null) {
            if (connectTimeoutTask.isScheduled()) {
                loop.cancel(connectTimeoutTask);
            }
            connectTimeoutTask = null;
        }
    }

    private void scheduleWriteCompletions() {
        if (writes != null && writes.hasCompleted() && !writeCompletionTask.isScheduled()) {
            loop.scheduleNow(writeCompletionTask);
        }
    }

    // ---- closing ----

    /** @param loopAlive false when the loop was destroyed: its tasks are gone, its epoll closed */
    private void closeOnLoop(boolean loopAlive) {
        if (!isOpen()) {
            return;
        }
        if (acceptor != null) {
            acceptor.stop(loop, loopAlive);
        }
        if (loopAlive) {
            unsubscribe();
        }
        subscribed = false;
        ConnectCallback connect = connectCallback;
        connectCallback = null;
        if (loopAlive) {
            cancelConnectTimeout();
        }
        // As the JDK asks at every close: with SO_LINGER above 0 the kernel may hold close(2).
        shared.close(options.type() == SocketType.STREAM && NativeSocketOptions.lingersOnClose(fd));
        state = CLOSED;
        readableCallback = null;
        Runnable waiter = writableWaiter;
        writableWaiter = null;
        if (writes != null) {
            if (loopAlive && writeCompletionTask.isScheduled()) {
                loop.cancel(writeCompletionTask);
            }
            writes.completeAll(this, IoError.SOCKET_CLOSED);
        }
        if (connect != null) {
            connect.onConnectionResult(this, IoError.SOCKET_CLOSED);
        }
        if (waiter != null) {
            waiter.run(); // a closed socket will not become writable: let the waiter find out
        }
    }

    // ---- helpers ----

    private void noteReset(int errno) {
        if (errno == Errno.ECONNRESET || errno == Errno.EPIPE) {
            resetByPeer = true;
        }
    }

    /** Before the socket has a loop, its creator owns it; afterwards, the loop's thread. */
    private void requireOwner(String operation) {
        if (loop != null) {
            requireLoopThread(operation);
        }
    }

    private void requireOpen() throws IoErrorException {
        if (!isOpen()) {
            throw new IoErrorException(IoError.SOCKET_CLOSED, "the socket is closed");
        }
    }

    private boolean subscribe(int events) {
        try {
            loop.subscribe(handle, events, this::onIoEvent);
            subscribed = true;
            return true;
        } catch (IoErrorException e) {
            failConnect(e.error());
            return false;
        }
    }

    private void unsubscribe() {
        if (!subscribed) {
            return;
        }
        subscribed = false;
        try {
            loop.unsubscribe(handle);
        } catch (IoErrorException e) {
            LOG.log(System.Logger.Level.WARNING, "unsubscribing " + this + " failed: " + e.getMessage());
        }
    }

    private void shutdownDirection(int how, int stateBit) throws IoErrorException {
        requireOwner("shutdown");
        requireOpen();
        int rc = SocketCalls.shutdown(fd, how);
        if (rc < 0) {
            throw IoErrorException.fromErrno("shutdown", -rc);
        }
        state &= ~stateBit;
    }

    private int writeAddress(SocketAddress address, MemorySegment target) {
        SocketDomain domain = options.domain();
        boolean suits = switch (address) {
            case UnixDomainSocketAddress unix -> domain == SocketDomain.LOCAL;
            case InetSocketAddress inet -> domain == SocketDomain.IPV6
                    || (domain == SocketDomain.IPV4 && SocketAddresses.familyOf(inet) == SocketCalls.AF_INET);
            default -> false;
        };
        if (!suits) {
            throw new IllegalArgumentException(address + " does not suit a " + domain + " socket");
        }
        return SocketAddresses.write(address, domain.family, target);
    }

    private SocketAddress queryAddress(boolean local) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SocketAddresses.SOCKADDR_STORAGE);
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) address.byteSize());
            int rc = local ? SocketCalls.getsockname(fd, address, length) : SocketCalls.getpeername(fd, address, length);
            return rc < 0 ? null : SocketAddresses.read(address, length.get(JAVA_INT, 0));
        }
    }

    private void requireState(int allowed, String operation) {
        SocketState.require(state, allowed, operation);
    }

    private void requireLoopThread(String operation) {
        EventLoop current = loop;
        if (current == null || !current.isOnLoopThread()) {
            throw new IllegalStateException(IoError.EVENT_LOOP_THREAD_ONLY.awsName() + ": socket " + operation
                    + " must run on its event loop's thread");
        }
    }

    private IoErrorException notConnected(String operation) {
        return isOpen()
                ? new IoErrorException(IoError.SOCKET_NOT_CONNECTED,
                        operation + " on a socket that is " + SocketState.describe(state))
                : new IoErrorException(IoError.SOCKET_CLOSED, operation + " on a closed socket");
    }

    private interface LoopAction {
        /** @param loopAlive false when the loop is destroyed and the action runs on the caller */
        void run(boolean loopAlive);
    }

    /** Runs {@code action} on {@code target}'s thread and waits; a destroyed loop runs it on the caller. */
    private static void onOwningLoop(EventLoop target, LoopAction action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        target.scheduleNow(new Task("socket-off-thread", status -> {
            try {
                action.run(status == TaskStatus.RUN_READY);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }));
        done.join();
    }
}
