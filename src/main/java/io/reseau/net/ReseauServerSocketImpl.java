package io.reseau.net;

import io.reseau.bootstrap.ServerListenerOptions;
import io.reseau.bootstrap.SocketListener;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.socket.Socket;
import io.reseau.socket.SocketDomain;
import io.reseau.socket.SocketOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * A listening {@link SocketImpl} on Reseau's server bootstrap. Its socket is made at once, as the
 * JDK's is, so that options reach the kernel when they are set and connections inherit what the
 * kernel copies from a listener. Connections arrive on the loops, each with its
 * {@link Connection} ready, and wait in a queue for {@link #accept}.
 * The queue (with the connections on their way to it) holds at most the backlog: the listener's
 * accept window; beyond it the listener stops taking connections from the kernel, whose own
 * backlog then applies, as with the JDK's sockets. When the listener runs out of
 * descriptors or memory, accept() throws what the JDK's would, and the listener goes on retrying.
 */
final class ReseauServerSocketImpl extends SocketImpl {
    /** The JDK's backlog when none (or a non-positive one) is given. */
    static final int DEFAULT_BACKLOG = 50;
    private static final System.Logger LOG = System.getLogger(ReseauServerSocketImpl.class.getName());
    /** The options NioSocketImpl offers client sockets alone: they act on a connection only. */
    private static final Set<SocketOption<?>> CONNECTION_ONLY = Set.of(StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_LINGER, StandardSocketOptions.TCP_NODELAY);
    /** The JDK's server socket options on Linux: a client socket's, but those. */
    private static final Set<SocketOption<?>> OPTIONS = Socket.supportedOptions().stream()
            .filter(option -> !CONNECTION_ONLY.contains(option)).collect(Collectors.toUnmodifiableSet());

    private final NetContext context;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Connection> ready = new ArrayDeque<>(); // guarded by lock
    private boolean closed; // guarded by lock
    // guarded by lock: the listener ran out of descriptors or memory and has not accepted since;
    // the next accept() that finds no connection waiting throws it (the listener retries by itself)
    private IoError acceptFailure;
    // Serializes what users' threads do to the listening socket: listen, close and option calls.
    private final Object socketUse = new Object();
    private InetSocketAddress bindAddress;
    private InetAddress boundHost;
    private Socket socket; // made by create(); the listener's from listen() on
    private SocketListener listener;
    private volatile int timeoutMillis;
    private volatile int receiveBuffer; // SO_RCVBUF as last set: connections' read window follows it

    ReseauServerSocketImpl(NetContext context) {
        this.context = context;
    }

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) {
            throw new SocketException("Reseau server sockets are stream sockets");
        }
        synchronized (socketUse) {
            if (socket != null) {
                throw new SocketException("Already created");
            }
            // SO_REUSEADDR on, as the JDK's server sockets on Linux have it; set as an option, not in
            // the socket's options, which the listener would apply to every connection it accepts,
            // overriding what each inherits from the listener as it is then.
            Socket made = null;
            try {
                made = new Socket(SocketOptions.tcp(IpStack.preferredDomain()).withReuseAddress(false));
                made.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            } catch (IoErrorException e) {
                if (made != null) {
                    made.close();
                }
                throw new SocketException(e.getMessage(), e);
            }
            socket = made;
        }
    }

    @Override
    protected void bind(InetAddress host, int bindPort) throws IOException {
        if (listener != null) {
            throw new SocketException("Already bound");
        }
        SocketDomain domain = socket.options().domain();
        if (domain == SocketDomain.IPV4 && host instanceof Inet6Address) {
            throw new SocketException("Protocol family unavailable"); // the JDK's words on a host without IPv6
        }
        bindAddress = new InetSocketAddress(IpStack.forSocket(host, domain), bindPort);
        boundHost = host;
    }

    /** Binds and listens at once (java.net.ServerSocket always calls bind then listen). */
    @Override
    protected void listen(int requestedBacklog) throws IOException {
        if (bindAddress == null) {
            throw new SocketException("Not bound");
        }
        int backlog = requestedBacklog < 1 ? DEFAULT_BACKLOG : requestedBacklog;
        synchronized (socketUse) {
            try {
                listener = context.server().listenForSockets(ServerListenerOptions.tcp(bindAddress, socket.options(), null, null)
                        .withSocket(socket).withBacklog(backlog).withAcceptWindow(backlog), this::onIncoming);
            } catch (IoErrorException e) {
                throw SocketErrors.bindFailure(e);
            }
        }
        InetSocketAddress local = (InetSocketAddress) listener.localAddress();
        // The address as given, as the JDK keeps it: its host name, and 0.0.0.0 for the wildcard
        // even where the socket listens on IPv6's.
        address = boundHost != null ? boundHost : local.getAddress();
        localport = local.getPort();
    }

    /**
     * A connection is set up (on its loop): queue it, and stop taking more once the queue is full.
     * Or accepting ran out of resources: the JDK's accept() would throw, so the next one does.
     */
    private void onIncoming(Socket accepted, IoError error) {
        if (error == IoError.MAX_FDS_EXCEEDED || error == IoError.OOM) {
            lock.lock();
            try {
                acceptFailure = error;
                arrived.signal();
            } finally {
                lock.unlock();
            }
            return;
        }
        if (error != null) {
            LOG.log(System.Logger.Level.DEBUG, "an incoming connection failed before accept: " + error);
            return;
        }
        int rcvbuf = receiveBuffer; // the socket has it from the listener already: the kernel copies it
        long window = rcvbuf > 0 ? Math.max(io.reseau.channel.MessagePool.MAX_FRAGMENT_SIZE, rcvbuf)
                : Connection.DEFAULT_READ_WINDOW;
        Connection connection = Connection.attach(accepted, window, Connection.DEFAULT_WRITE_BOUND);
        lock.lock();
        try {
            if (closed) {
                connection.close(true);
                return;
            }
            ready.add(connection);
            acceptFailure = null; // accepting works again: the JDK's accept() would not fail now
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected void accept(SocketImpl accepting) throws IOException {
        if (!(accepting instanceof ReseauSocketImpl target)) {
            throw new SocketException("a Reseau server socket accepts into Reseau sockets only");
        }
        long deadline = Blocking.deadline(timeoutMillis);
        Connection connection;
        lock.lock();
        try {
            while (ready.isEmpty()) {
                if (closed) {
                    throw SocketErrors.closed();
                }
                if (acceptFailure != null) {
                    IoError failure = acceptFailure;
                    acceptFailure = null;
                    throw SocketErrors.acceptFailure(failure);
                }
                if (!Blocking.await(arrived, deadline)) {
                    throw new SocketTimeoutException("Accept timed out");
                }
            }
            if (closed) {
                throw SocketErrors.closed();
            }
            connection = ready.poll();
        } finally {
            lock.unlock();
        }
        listener.incrementAcceptWindow(1);
        target.attachAccepted(connection);
    }

    @Override
    protected void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            arrived.signalAll();
            for (Connection waiting = ready.poll(); waiting != null; waiting = ready.poll()) {
                waiting.close(true);
            }
        } finally {
            lock.unlock();
        }
        synchronized (socketUse) {
            if (listener != null) {
                listener.close();
            } else if (socket != null) {
                socket.close();
            }
        }
    }

    // ---- options ----

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    protected <T> void setOption(SocketOption<T> option, T value) throws IOException {
        OptionChecks.checkSettable(OPTIONS, option, value);
        onSocket(s -> {
            s.setOption(option, value);
            return null;
        });
        if (option == StandardSocketOptions.SO_RCVBUF) {
            receiveBuffer = (Integer) value;
        }
    }

    @Override
    protected <T> T getOption(SocketOption<T> option) throws IOException {
        OptionChecks.checkReadable(OPTIONS, option);
        return onSocket(s -> s.getOption(option));
    }

    /** Runs {@code call} on the listening socket where it may be touched, waiting for it. */
    private <T> T onSocket(OwnerCalls.SocketCall<T> call) throws IOException {
        synchronized (socketUse) {
            if (socket == null) {
                throw new SocketException("Socket not created");
            }
            // A listener's socket is on its loop even while it is not accepting.
            return OwnerCalls.callOn(listener != null ? listener.eventLoop() : null, socket, call);
        }
    }

    @Override
    public void setOption(int option, Object value) throws SocketException {
        try {
            switch (option) {
                case SO_TIMEOUT -> {
                    if (!(value instanceof Integer millis) || millis < 0) {
                        throw new SocketException("Bad value for SO_TIMEOUT");
                    }
                    timeoutMillis = millis;
                }
                case SO_RCVBUF -> {
                    if (!(value instanceof Integer size) || size <= 0) {
                        throw new SocketException("SO_RCVBUF <= 0");
                    }
                    setOption(StandardSocketOptions.SO_RCVBUF, size);
                }
                case SO_REUSEADDR -> {
                    if (!(value instanceof Boolean reuse)) {
                        throw new SocketException("Bad value for SO_REUSEADDR");
                    }
                    setOption(StandardSocketOptions.SO_REUSEADDR, reuse);
                }
                default -> throw new SocketException("Unknown option " + option);
            }
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw new SocketException(e.getMessage(), e);
        }
    }

    @Override
    public Object getOption(int option) throws SocketException {
        try {
            return switch (option) {
                case SO_TIMEOUT -> timeoutMillis;
                case SO_RCVBUF -> getOption(StandardSocketOptions.SO_RCVBUF);
                case SO_REUSEADDR -> getOption(StandardSocketOptions.SO_REUSEADDR);
                case SO_BINDADDR -> address != null ? address : IpStack.anyLocal(IpStack.preferredDomain());
                default -> throw new SocketException("Unknown option " + option);
            };
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw new SocketException(e.getMessage(), e);
        }
    }

    // ---- not for a listening socket ----

    @Override
    protected void connect(String host, int connectPort) throws IOException {
        throw new SocketException("a server socket does not connect");
    }

    @Override
    protected void connect(InetAddress connectAddress, int connectPort) throws IOException {
        throw new SocketException("a server socket does not connect");
    }

    @Override
    protected void connect(SocketAddress remote, int millis) throws IOException {
        throw new SocketException("a server socket does not connect");
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        throw new SocketException("a server socket has no streams");
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        throw new SocketException("a server socket has no streams");
    }

    @Override
    protected int available() throws IOException {
        return 0;
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw new SocketException("a server socket sends no data");
    }
}
