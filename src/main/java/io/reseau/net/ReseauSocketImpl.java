package io.reseau.net;

import io.reseau.bootstrap.ClientConnectionOptions;
import io.reseau.bootstrap.ConnectAttempt;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import io.reseau.future.IoFuture;
import io.reseau.internal.access.SocketAccess;
import io.reseau.socket.Socket;
import io.reseau.socket.SocketDomain;
import io.reseau.socket.SocketOptions;
import io.reseau.tls.TlsConnectionOptions;
import io.reseau.tls.TlsNegotiation;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A client {@link SocketImpl} on Reseau: the socket is created with the impl (so binding and
 * options apply at once), connected through the client bootstrap, and then read and written
 * through a {@link Connection}. java.net.Socket adds the rest of the JDK's semantics around it.
 */
final class ReseauSocketImpl extends SocketImpl {
    private enum State { NEW, UNCONNECTED, CONNECTING, CONNECTED, CLOSED }

    private static final System.Logger LOG = System.getLogger(ReseauSocketImpl.class.getName());

    // A new socket connects without a time limit and without SO_REUSEADDR, as the JDK's client
    // sockets. Shared: options are immutable.
    private static final SocketOptions IPV4_OPTIONS = SocketOptions.tcp(SocketDomain.IPV4)
            .withConnectTimeout(Duration.ZERO).withReuseAddress(false);
    private static final SocketOptions IPV6_OPTIONS = IPV4_OPTIONS.withDomain(SocketDomain.IPV6);

    private final NetContext context;
    private State state = State.NEW; // guarded by this
    private Socket socket; // guarded by this
    private Connection connection; // guarded by this
    private ConnectAttempt attempt; // guarded by this
    private IoFuture<Connection> connecting; // guarded by this
    private volatile int timeoutMillis;
    private volatile long readWindow = Connection.DEFAULT_READ_WINDOW;
    private volatile long writeBound = Connection.DEFAULT_WRITE_BOUND;
    private volatile int lingerSeconds = -1; // SO_LINGER as last set: -1 off, 0 resets on close

    ReseauSocketImpl(NetContext context) {
        this.context = context;
    }

    // ---- life ----

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) {
            throw new SocketException("Reseau sockets are stream sockets");
        }
        synchronized (this) {
            if (state != State.NEW) {
                throw new SocketException("Already created");
            }
            try {
                socket = new Socket(IpStack.preferredDomain() == SocketDomain.IPV6 ? IPV6_OPTIONS : IPV4_OPTIONS);
            } catch (IoErrorException e) {
                throw new SocketException(e.getMessage(), e);
            }
            state = State.UNCONNECTED;
        }
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(new InetSocketAddress(host, port), 0);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        connect(new InetSocketAddress(address, port), 0);
    }

    /**
     * Connects to {@code remote}. An unresolved address is resolved by the context's resolver and
     * its addresses raced (the client bootstrap's Happy Eyeballs): the timeout bounds the race, the
     * winner is the socket's peer, and a failure names the host and every address tried.
     */
    @Override
    protected void connect(SocketAddress remote, int millis) throws IOException {
        if (!(remote instanceof InetSocketAddress target)) {
            throw new IOException("Unsupported address type");
        }
        // The first outcome wins: a connection that comes after close() failed the connect is closed.
        IoFuture<Connection> result = IoFuture.owning(abandoned -> abandoned.close(true));
        ConnectAttempt started;
        synchronized (this) {
            switch (state) {
                case CLOSED -> throw SocketErrors.closed();
                case CONNECTED -> throw new SocketException("Already connected");
                case CONNECTING -> throw new SocketException("Connection in progress");
                case NEW -> throw new SocketException("Socket not created");
                case UNCONNECTED -> { }
            }
            SocketDomain domain = socket.options().domain();
            if (domain == SocketDomain.IPV4 && target.getAddress() instanceof Inet6Address) {
                throw new SocketException("Protocol family unavailable");
            }
            if (target.getPort() == 0) {
                // Linux refuses a connect to port 0, which the JDK passes on; Reseau's sockets refuse it earlier.
                throw SocketErrors.connectFailure(IoError.SOCKET_CONNECTION_REFUSED, target);
            }
            Duration connectTimeout = Duration.ofMillis(millis);
            if (!connectTimeout.equals(socket.options().connectTimeout())) {
                try {
                    socket.setOptions(socket.options().withConnectTimeout(connectTimeout));
                } catch (IoErrorException e) {
                    throw new SocketException(e.getMessage(), e);
                }
            }
            connecting = result;
            state = State.CONNECTING;
            String host = target.isUnresolved() ? target.getHostString() : target.getAddress().getHostAddress();
            started = context.client().connectSocket(ClientConnectionOptions.tcp(host, target.getPort(), domain, null, null)
                    .withSocket(socket), (connected, error) -> {
                        if (error != null) {
                            result.setError(error);
                        } else {
                            result.setResult(Connection.attach(connected, readWindow, writeBound));
                        }
                    });
            attempt = started;
        }
        Connection established = awaitConnect(result, target, started);
        synchronized (this) {
            if (state != State.CONNECTING) {
                established.close(true);
                throw SocketErrors.closed();
            }
            connection = established;
            state = State.CONNECTED;
            attempt = null; // only a connect in progress needs them; an idle socket should not keep them
            connecting = null;
            socket = established.socket(); // the race's winner: the caller's socket or a sibling
            address = target.isUnresolved() ? ((InetSocketAddress) socket.remoteAddress()).getAddress() : target.getAddress();
            port = target.getPort();
            localport = portOf(socket.localAddress());
        }
    }

    private Connection awaitConnect(IoFuture<Connection> result, InetSocketAddress target, ConnectAttempt started)
            throws IOException {
        try {
            return result.get(); // an interrupt does not abort a platform thread's connect
        } catch (InterruptedIOException e) {
            close();
            throw new SocketException("Closed by interrupt");
        } catch (IoErrorException e) {
            if (e.getCause() instanceof IOException closed) {
                throw SocketErrors.withPeer(closed, target); // closed meanwhile: the JDK names the peer here too
            }
            throw target.isUnresolved() ? SocketErrors.raceFailure(target, e, started.failedAttempts())
                    : SocketErrors.connectFailure(e.error(), target);
        }
    }

    /** Makes this the accepted side of {@code accepted}; called by the server impl. */
    void attachAccepted(Connection accepted) throws SocketException {
        synchronized (this) {
            if (state == State.CLOSED) {
                accepted.close(true);
                throw new SocketException("Socket is closed");
            }
            if (socket != null) {
                socket.close();
            }
            socket = accepted.socket();
            connection = accepted;
            state = State.CONNECTED;
            fd = null; // java.net.ServerSocket gives a custom impl one it never uses; idle connections are many
            InetSocketAddress remote = (InetSocketAddress) socket.remoteAddress();
            address = remote.getAddress();
            port = remote.getPort();
            localport = portOf(socket.localAddress());
        }
        accepted.setWriteBound(writeBound);
    }

    @Override
    protected void bind(InetAddress host, int bindPort) throws IOException {
        synchronized (this) {
            if (state != State.UNCONNECTED) {
                throw state == State.CLOSED ? SocketErrors.closed() : new SocketException("Already connected");
            }
            if (socket.localAddress() != null) {
                throw new SocketException("Already bound");
            }
            try {
                socket.bind(new InetSocketAddress(IpStack.forSocket(host, socket.options().domain()), bindPort));
            } catch (IoErrorException e) {
                throw SocketErrors.bindFailure(e);
            }
            localport = portOf(socket.localAddress());
        }
    }

    @Override
    protected void listen(int backlog) throws IOException {
        throw new SocketException("not a server socket");
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        throw new SocketException("not a server socket");
    }

    @Override
    protected void close() throws IOException {
        State previous;
        synchronized (this) {
            previous = state;
            state = State.CLOSED;
        }
        switch (previous) {
            case UNCONNECTED -> socket.close();
            case CONNECTING -> {
                connecting.setError(IoError.SOCKET_CLOSED, SocketErrors.closed()); // before the cancel can report
                attempt.cancel(); // the bootstrap owns the socket now, and closes it
            }
            case CONNECTED -> {
                int linger = lingerSeconds;
                connection.close(linger == 0);
                if (linger > 0) {
                    // As the JDK's close: back once the kernel's lingering close(2) has returned
                    // (the peer has every byte, or the time ran out); not interruptible either.
                    SocketAccess.get().whenDescriptorClosed(connection.socket()).join();
                }
            }
            case NEW, CLOSED -> { }
        }
    }

    @Override
    protected void shutdownInput() throws IOException {
        connected().shutdownInput();
    }

    @Override
    protected void shutdownOutput() throws IOException {
        connected().shutdownOutput();
    }

    /** See {@link ReseauSocket#startTls}. */
    CompletableFuture<TlsNegotiation> startTls(TlsConnectionOptions options) throws SocketException {
        return connected().startTls(options);
    }

    // ---- streams ----

    @Override
    protected InputStream getInputStream() throws IOException {
        Connection stream = connected();
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) > 0 ? one[0] & 0xff : -1;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return stream.read(bytes, offset, length, timeoutMillis);
            }

            @Override
            public int available() throws IOException {
                return stream.available();
            }

            @Override
            public void close() throws IOException {
                ReseauSocketImpl.this.close();
            }
        };
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        Connection stream = connected();
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                stream.write(bytes, offset, length);
            }

            @Override
            public void close() throws IOException {
                ReseauSocketImpl.this.close();
            }
        };
    }

    @Override
    protected int available() throws IOException {
        return connected().available();
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        connected().sendUrgentData(data);
    }

    @Override
    protected boolean supportsUrgentData() {
        return true;
    }

    // ---- options ----

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return Socket.supportedOptions();
    }

    @Override
    protected <T> void setOption(SocketOption<T> option, T value) throws IOException {
        OptionChecks.checkSettable(supportedOptions(), option, value);
        if (Socket.optionAcceptsEveryCheckedValue(option)) {
            onSocketWithoutWaiting(s -> s.setOption(option, value));
        } else {
            onSocket(s -> {
                s.setOption(option, value);
                return null;
            });
        }
        remember(option, value);
    }

    @Override
    protected <T> T getOption(SocketOption<T> option) throws IOException {
        OptionChecks.checkReadable(supportedOptions(), option);
        return onSocket(s -> s.getOption(option));
    }

    @Override
    public void setOption(int option, Object value) throws SocketException {
        try {
            switch (option) {
                case SO_TIMEOUT -> {
                    int millis = intValue(value, "SO_TIMEOUT");
                    if (millis < 0) {
                        throw new IllegalArgumentException("timeout < 0");
                    }
                    timeoutMillis = millis;
                }
                case SO_LINGER -> setOption(StandardSocketOptions.SO_LINGER,
                        value instanceof Boolean on && !on ? -1 : intValue(value, "SO_LINGER"));
                case TCP_NODELAY -> setOption(StandardSocketOptions.TCP_NODELAY, booleanValue(value, "TCP_NODELAY"));
                case SO_KEEPALIVE -> setOption(StandardSocketOptions.SO_KEEPALIVE, booleanValue(value, "SO_KEEPALIVE"));
                case SO_REUSEADDR -> setOption(StandardSocketOptions.SO_REUSEADDR, booleanValue(value, "SO_REUSEADDR"));
                case SO_REUSEPORT -> setOption(StandardSocketOptions.SO_REUSEPORT, booleanValue(value, "SO_REUSEPORT"));
                case IP_TOS -> setOption(StandardSocketOptions.IP_TOS, intValue(value, "IP_TOS"));
                case SO_SNDBUF -> setOption(StandardSocketOptions.SO_SNDBUF, positive(value, "SO_SNDBUF"));
                case SO_RCVBUF -> setOption(StandardSocketOptions.SO_RCVBUF, positive(value, "SO_RCVBUF"));
                case SO_OOBINLINE -> {
                    // Waiting for the loop: a read right after, on this thread, must see urgent
                    // bytes that arrived before (it receives directly, not through the loop).
                    boolean inline = booleanValue(value, "SO_OOBINLINE");
                    onSocket(s -> {
                        s.setOutOfBandInline(inline);
                        return null;
                    });
                }
                default -> throw new SocketException("Unknown option " + option);
            }
        } catch (SocketException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new SocketException(e.getMessage(), e);
        }
    }

    @Override
    public Object getOption(int option) throws SocketException {
        try {
            return switch (option) {
                case SO_TIMEOUT -> timeoutMillis;
                case SO_LINGER -> {
                    int seconds = getOption(StandardSocketOptions.SO_LINGER);
                    yield seconds < 0 ? (Object) Boolean.FALSE : (Object) seconds;
                }
                case TCP_NODELAY -> getOption(StandardSocketOptions.TCP_NODELAY);
                case SO_KEEPALIVE -> getOption(StandardSocketOptions.SO_KEEPALIVE);
                case SO_REUSEADDR -> getOption(StandardSocketOptions.SO_REUSEADDR);
                case SO_REUSEPORT -> getOption(StandardSocketOptions.SO_REUSEPORT);
                case IP_TOS -> getOption(StandardSocketOptions.IP_TOS);
                case SO_SNDBUF -> getOption(StandardSocketOptions.SO_SNDBUF);
                case SO_RCVBUF -> getOption(StandardSocketOptions.SO_RCVBUF);
                case SO_OOBINLINE -> onSocket(Socket::isOutOfBandInline);
                case SO_BINDADDR -> {
                    SocketAddress local = onSocket(Socket::localAddress);
                    yield local instanceof InetSocketAddress inet ? inet.getAddress() : IpStack.anyLocal(IpStack.preferredDomain());
                }
                default -> throw new SocketException("Unknown option " + option);
            };
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw new SocketException(e.getMessage(), e);
        }
    }

    /**
     * The facade's own share of an option: buffer sizes bound read-ahead and writes; linger 0
     * resets on close, above 0 makes close wait for the kernel's close.
     */
    private void remember(SocketOption<?> option, Object value) {
        if (option == StandardSocketOptions.SO_RCVBUF) {
            readWindow = Math.max(io.reseau.channel.MessagePool.MAX_FRAGMENT_SIZE, (Integer) value);
        } else if (option == StandardSocketOptions.SO_SNDBUF) {
            writeBound = Math.max(io.reseau.channel.MessagePool.MAX_FRAGMENT_SIZE, (Integer) value);
            Connection current = currentConnection();
            if (current != null) {
                current.setWriteBound(writeBound);
            }
        } else if (option == StandardSocketOptions.SO_LINGER) {
            lingerSeconds = (Integer) value;
        }
    }

    private synchronized Socket touchableSocket() throws SocketException {
        if (state == State.CLOSED) {
            throw SocketErrors.closed();
        }
        if (state == State.NEW) {
            throw new SocketException("Socket not created");
        }
        return socket;
    }

    private interface SocketChange {
        void apply(Socket socket) throws IoErrorException;
    }

    /**
     * Applies a change that cannot fail on an open socket where the socket may be touched, without
     * waiting for its loop: a thread that sets TCP_NODELAY on each new connection then pays no
     * hand-off for it. Whatever the caller does next on the socket reaches the loop after it.
     */
    private void onSocketWithoutWaiting(SocketChange change) throws IOException {
        Socket current = touchableSocket();
        EventLoop loop = current.eventLoop();
        if (loop == null) {
            try {
                change.apply(current);
            } catch (IoErrorException e) {
                throw SocketErrors.optionFailure(e);
            }
            return;
        }
        loop.scheduleNow(new Task("facade-socket-option", status -> {
            if (status != TaskStatus.RUN_READY) {
                return; // the socket closed: nothing left to set
            }
            try {
                change.apply(current);
            } catch (IoErrorException e) {
                if (e.error() != IoError.SOCKET_CLOSED) {
                    LOG.log(System.Logger.Level.WARNING, "the kernel refused a socket option it always takes", e);
                }
            }
        }));
    }

    /** Runs {@code call} where the socket may be touched, waiting for it. */
    private <T> T onSocket(OwnerCalls.SocketCall<T> call) throws IOException {
        return OwnerCalls.call(touchableSocket(), call);
    }

    private Connection connected() throws SocketException {
        synchronized (this) {
            if (state == State.CLOSED) {
                throw SocketErrors.closed();
            }
            if (state != State.CONNECTED) {
                throw new SocketException("Not connected");
            }
            return connection;
        }
    }

    private Connection currentConnection() {
        synchronized (this) {
            return connection;
        }
    }

    private static int portOf(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getPort() : 0;
    }

    private static int intValue(Object value, String name) throws SocketException {
        if (!(value instanceof Integer i)) {
            throw new SocketException("Bad value for " + name);
        }
        return i;
    }

    private static int positive(Object value, String name) throws SocketException {
        int i = intValue(value, name);
        if (i <= 0) {
            throw new SocketException(name + " <= 0");
        }
        return i;
    }

    private static boolean booleanValue(Object value, String name) throws SocketException {
        if (!(value instanceof Boolean b)) {
            throw new SocketException("Bad value for " + name);
        }
        return b;
    }

    @Override
    public String toString() {
        synchronized (this) {
            return "ReseauSocketImpl[" + state + (socket == null ? "" : ", " + socket) + "]";
        }
    }
}
