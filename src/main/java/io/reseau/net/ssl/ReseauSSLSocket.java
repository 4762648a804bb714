package io.reseau.net.ssl;

import io.reseau.tls.TlsNegotiation;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * An {@link SSLSocket} on s2n over a TCP connection, with JSSE's behaviour around it. The TCP
 * connection is a {@link Socket}, made here or given ({@code createSocket(socket, host, port,
 * autoClose)}); every socket call that is not about TLS goes to it. TLS itself runs on the
 * calling thread through the socket's own streams ({@link StreamSSLSocket}); what does not depend
 * on how TLS moves its bytes lives here: parameters and mode, the handshake's plan, sessions and
 * listeners, JSSE's rule for failures, and the TCP connection's calls.
 *
 * <p>The handshake runs on {@link #startHandshake()}, {@link #getSession()} or the first read or
 * write, once; a failed one throws {@link SSLHandshakeException} with s2n's reason (and the alert)
 * and leaves an invalid session. Reads and writes from different threads at once are fine, as
 * with any socket. Closing sends close_notify; with {@code autoClose} false the TCP connection
 * stays open.
 *
 * <p>Versions, client authentication, ALPN and SNI follow the socket's {@link SSLParameters}; the
 * cipher suites are those of the s2n security policy its versions select (setting enabled suites
 * is accepted and reported, not applied: s2n policies are fixed lists). A client resumes sessions
 * as {@link HandshakePlan} and its {@link ClientResumption} say.
 */
abstract sealed class ReseauSSLSocket extends SSLSocket permits StreamSSLSocket {
    final SslConfiguration configuration;
    final Socket transport;
    final boolean autoClose;
    private volatile String peerHost;
    private volatile int peerPort;
    private volatile boolean clientMode;
    // Starts as the factory's, shared by its sockets until one changes.
    private final SslSettings settings;
    final Object handshakeLock = new Object(); // the handshake's start, the mode, the listeners
    private boolean handshakeStarted; // guarded by handshakeLock
    private volatile ReseauSSLSession handshakeSession; // while the handshake runs
    private volatile ReseauSSLSession session;
    private volatile String applicationProtocol;
    private volatile TlsNegotiation negotiation; // once the handshake succeeded
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile List<HandshakeCompletedListener> listeners = List.of(); // replaced under handshakeLock
    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    ReseauSSLSocket(SslConfiguration configuration, Socket transport, String peerHost, int peerPort, boolean autoClose,
            boolean clientMode, SSLParameters shared) {
        this.configuration = configuration;
        this.transport = transport;
        this.peerHost = peerHost;
        this.peerPort = peerPort;
        this.autoClose = autoClose;
        this.clientMode = clientMode;
        this.settings = new SslSettings(shared);
    }

    // ---- the handshake ----

    /**
     * The plan of this socket's handshake, from its parameters as they are now. From here on the
     * mode stays, and the handshake session tells a trust manager who the peer is.
     */
    final HandshakePlan planHandshake() throws SSLException {
        synchronized (handshakeLock) {
            HandshakePlan plan = HandshakePlan.of(configuration, clientMode, settings.current(), peerHost, peerPort,
                    JavaPeerCheck.of(configuration.trustManager(), this));
            handshakeSession = ReseauSSLSession.handshaking(plan.localChain(), peerHost, peerPort, plan.serverNames());
            handshakeStarted = true;
            return plan;
        }
    }

    /** How the handshake of {@code plan} ended: the session it agreed, told to the listeners. */
    final void onHandshakeEnded(TlsNegotiation outcome, HandshakePlan plan) {
        if (!outcome.succeeded()) {
            onHandshakeFailed();
            return;
        }
        handshakeSession = null;
        negotiation = outcome;
        applicationProtocol = outcome.applicationProtocol() == null ? "" : outcome.applicationProtocol();
        ReseauSSLSession negotiated = plan.session(outcome, plan.localChain(), peerHost, peerPort, plan.serverNames());
        session = negotiated;
        List<HandshakeCompletedListener> toNotify = listeners;
        if (!toNotify.isEmpty()) {
            HandshakeCompletedEvent event = new HandshakeCompletedEvent(this, negotiated);
            // Never on the thread that ran the handshake (an event loop, or the socket's reader): a
            // listener may block, or use this socket.
            Thread.ofVirtual().name("reseau-handshake-completed").start(() -> toNotify.forEach(l -> l.handshakeCompleted(event)));
        }
    }

    @Override
    public final void startHandshake() throws IOException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        handshake();
    }

    /** Runs the handshake if it has not run, and waits for its outcome: {@link #startHandshake()} on a socket not closed. */
    abstract void handshake() throws IOException;

    /** The handshake failed: there is no session, and none coming. */
    final void onHandshakeFailed() {
        handshakeSession = null;
    }

    /** Whether the handshake succeeded: reads and writes carry application data. */
    final boolean handshakeDone() {
        return session != null;
    }

    static void requireSucceeded(TlsNegotiation outcome) throws SSLHandshakeException {
        if (!outcome.succeeded()) {
            throw new SSLHandshakeException(outcome.failure().toString());
        }
    }

    /**
     * JSSE's rule for a read that failed after the handshake, or a write that failed in TLS: the
     * connection is over, so the socket closes (and the TCP connection with it, unless layered
     * without autoClose); a timeout or an interrupt leaves it open. Returns {@code failure} to be
     * thrown.
     */
    final IOException closedBy(IOException failure) {
        if (!(failure instanceof InterruptedIOException)) {
            try {
                close();
            } catch (IOException closeFailure) {
                // the connection already failed: its close can only fail the same way
            }
        }
        return failure;
    }

    /** A handshake cut short (a timeout, an interrupt, a failure) leaves nothing usable on the connection. */
    final void abandonHandshake() throws IOException {
        close();
        if (!autoClose) {
            transport.close();
        }
    }

    @Override
    public SSLSession getSession() {
        if (session == null && transport.isConnected() && !isClosed()) {
            try {
                startHandshake();
            } catch (IOException e) {
                // JSSE's contract: a failed handshake shows as an invalid session
            }
        }
        ReseauSSLSession current = session;
        if (current == null) {
            return ReseauSSLSession.invalid(peerHost, peerPort);
        }
        current.touch();
        return current;
    }

    @Override
    public SSLSession getHandshakeSession() {
        return handshakeSession;
    }

    /** What s2n reports of the handshake (whether it resumed a session, say), once it succeeded; else null. */
    TlsNegotiation negotiation() {
        return negotiation;
    }

    @Override
    public String getApplicationProtocol() {
        return applicationProtocol;
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return null; // only known once s2n reports the handshake done
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (handshakeLock) {
            List<HandshakeCompletedListener> added = new ArrayList<>(listeners);
            added.add(listener);
            listeners = List.copyOf(added);
        }
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (handshakeLock) {
            List<HandshakeCompletedListener> left = new ArrayList<>(listeners);
            if (!left.remove(listener)) {
                throw new IllegalArgumentException("listener is not registered");
            }
            listeners = List.copyOf(left);
        }
    }

    // ---- parameters ----

    @Override
    public SSLParameters getSSLParameters() {
        return settings.copy();
    }

    @Override
    public void setSSLParameters(SSLParameters changes) {
        settings.merge(changes);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return settings.supportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return settings.enabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        settings.enableCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return settings.supportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return settings.enabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        settings.enableProtocols(protocols);
    }

    @Override
    public void setUseClientMode(boolean mode) {
        synchronized (handshakeLock) {
            if (handshakeStarted && mode != clientMode) {
                throw new IllegalArgumentException("Cannot change mode after SSL traffic has started");
            }
            clientMode = mode;
        }
    }

    @Override
    public boolean getUseClientMode() {
        return clientMode;
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        settings.needClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return settings.needClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        settings.wantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return settings.wantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean enabled) {
        SslSettings.requireSessionCreation(enabled);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return true;
    }

    // ---- streams and life ----

    /** Plaintext into {@code bytes[offset, offset + length)} (checked), after the handshake: a stream's read. */
    abstract int readPlaintext(byte[] bytes, int offset, int length) throws IOException;

    /** Plaintext from {@code bytes[offset, offset + length)} (checked), after the handshake: a stream's write. */
    abstract void writePlaintext(byte[] bytes, int offset, int length) throws IOException;

    /** Plaintext a read would return without waiting. */
    abstract int availablePlaintext() throws IOException;

    @Override
    public InputStream getInputStream() throws IOException {
        requireOpenAndConnected();
        return input;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        requireOpenAndConnected();
        return output;
    }

    private void requireOpenAndConnected() throws SocketException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        if (!transport.isConnected()) {
            throw new SocketException("Socket is not connected");
        }
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) > 0 ? one[0] & 0xff : -1;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            return readPlaintext(bytes, offset, length);
        }

        @Override
        public int available() throws IOException {
            return availablePlaintext();
        }

        @Override
        public void close() throws IOException {
            ReseauSSLSocket.this.close();
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            writePlaintext(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            ReseauSSLSocket.this.close();
        }
    }

    /** Marks this socket closed; true for the one call that did. */
    final boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    /** Whether {@link #close()} was called (the TCP connection may still be open). */
    final boolean closeCalled() {
        return closed.get();
    }

    /**
     * Sends close_notify (once the handshake is done) and closes; with {@code autoClose} false the
     * TCP connection stays open after close_notify.
     */
    @Override
    public abstract void close() throws IOException;

    @Override
    public boolean isClosed() {
        return closed.get() || transport.isClosed();
    }

    /** TLS's half-close: sends close_notify; this side can still read. */
    @Override
    public abstract void shutdownOutput() throws IOException;

    @Override
    public abstract void shutdownInput() throws IOException;

    @Override
    public abstract boolean isOutputShutdown();

    @Override
    public abstract boolean isInputShutdown();

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        transport.connect(endpoint, timeout);
        if (peerHost == null && endpoint instanceof InetSocketAddress inet) {
            peerHost = inet.getHostString();
            peerPort = inet.getPort();
        }
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    // ---- the TCP connection's ----

    @Override
    public void bind(SocketAddress local) throws IOException {
        transport.bind(local);
    }

    @Override
    public InetAddress getInetAddress() {
        return transport.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return transport.getLocalAddress();
    }

    @Override
    public int getPort() {
        return transport.getPort();
    }

    @Override
    public int getLocalPort() {
        return transport.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return transport.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return transport.getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public boolean isConnected() {
        return transport.isConnected();
    }

    @Override
    public boolean isBound() {
        return transport.isBound();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        throw new SocketException("This method is not supported by SSLSockets");
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        throw new SocketException("This method is ineffective, since sending urgent data is not supported by SSLSockets");
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        throw new SocketException("This method is ineffective, since sending urgent data is not supported by SSLSockets");
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        transport.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return transport.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        transport.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return transport.getSoLinger();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        transport.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return transport.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        transport.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return transport.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        transport.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return transport.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        transport.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return transport.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        transport.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return transport.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        transport.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return transport.getReuseAddress();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        transport.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> SSLSocket setOption(SocketOption<T> name, T value) throws IOException {
        transport.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return transport.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return transport.supportedOptions();
    }

    @Override
    public String toString() {
        ReseauSSLSession current = session;
        return "ReseauSSLSocket[" + (current == null ? "no handshake" : current.getProtocol() + " " + current.getCipherSuite())
                + ", " + transport + "]";
    }
}
