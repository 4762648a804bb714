package io.reseau.net.ssl;

import io.reseau.net.ReseauSocket;
import io.reseau.tls.TlsNegotiation;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * An {@link SSLSocket} on Reseau: TLS through s2n inside a {@link ReseauSocket}'s channel (see
 * {@link ReseauSocket#startTls}), with JSSE's behaviour around it. The handshake runs on
 * {@link #startHandshake()}, {@link #getSession()} or the first read or write, once, under the
 * socket's SO_TIMEOUT; a failed one throws {@link SSLHandshakeException} with s2n's reason (and
 * the alert) and leaves an invalid session. Reads and writes from different threads at once are
 * fine, as with any socket.
 *
 * <p>The TCP connection is a {@link ReseauSocket}, made here or given ({@code createSocket(socket,
 * host, port, autoClose)}); every socket call that is not about TLS goes to it. Closing sends
 * close_notify; with {@code autoClose} false the TCP connection stays open. Closing the TCP
 * connection from another thread fails a blocked read or write at once.
 *
 * <p>Versions, client authentication, ALPN and SNI follow the socket's {@link SSLParameters}; the
 * cipher suites are those of the s2n security policy its versions select (setting enabled suites
 * is accepted and reported, not applied: s2n policies are fixed lists). A client resumes sessions
 * as {@link HandshakePlan} and its {@link ClientResumption} say.
 */
final class ReseauSSLSocket extends SSLSocket {
    private final SslConfiguration configuration;
    private final ReseauSocket transport;
    private final boolean autoClose;
    private volatile String peerHost;
    private volatile int peerPort;
    private volatile boolean clientMode;
    // Starts as the factory's, shared by its sockets until one changes.
    private final SslSettings settings;
    private final Object handshakeLock = new Object();
    private CompletableFuture<TlsNegotiation> handshake; // guarded by handshakeLock
    private volatile ReseauSSLSession handshakeSession; // while the handshake runs
    private volatile ReseauSSLSession session;
    private volatile String applicationProtocol;
    private volatile TlsNegotiation negotiation; // once the handshake succeeded
    private volatile boolean closed;
    private volatile List<HandshakeCompletedListener> listeners = List.of(); // replaced under handshakeLock
    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    ReseauSSLSocket(SslConfiguration configuration, ReseauSocket transport, String peerHost, int peerPort, boolean autoClose,
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

    @Override
    public void startHandshake() throws IOException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        requireSucceeded(Handshakes.await(beginHandshake(), transport.getSoTimeout(), this::abandonHandshake));
    }

    private static void requireSucceeded(TlsNegotiation outcome) throws SSLHandshakeException {
        if (!outcome.succeeded()) {
            throw new SSLHandshakeException(outcome.failure().toString());
        }
    }

    /** The handshake's outcome before any read or write: it runs first if it has not. */
    private void handshakeForIo() throws IOException {
        if (session == null) {
            startHandshake();
        }
    }

    private CompletableFuture<TlsNegotiation> beginHandshake() throws IOException {
        synchronized (handshakeLock) {
            if (handshake != null) {
                return handshake;
            }
            if (!transport.isConnected()) {
                throw new SocketException("Socket is not connected");
            }
            HandshakePlan plan = HandshakePlan.of(configuration, clientMode, settings.current(), peerHost, peerPort,
                    JavaPeerCheck.of(configuration.trustManager(), this));
            handshakeSession = ReseauSSLSession.handshaking(plan.localChain(), peerHost, peerPort, plan.serverNames());
            // Those who wait for the handshake see its session: they wait for onHandshakeEnded too.
            handshake = transport.startTls(plan.options()).thenApply(outcome -> onHandshakeEnded(outcome, plan));
            return handshake;
        }
    }

    private TlsNegotiation onHandshakeEnded(TlsNegotiation outcome, HandshakePlan plan) {
        handshakeSession = null;
        if (!outcome.succeeded()) {
            return outcome;
        }
        negotiation = outcome;
        applicationProtocol = outcome.applicationProtocol() == null ? "" : outcome.applicationProtocol();
        ReseauSSLSession negotiated = plan.session(outcome, plan.localChain(), peerHost, peerPort, plan.serverNames());
        session = negotiated;
        List<HandshakeCompletedListener> toNotify = listeners;
        if (!toNotify.isEmpty()) {
            HandshakeCompletedEvent event = new HandshakeCompletedEvent(this, negotiated);
            // Never on the event loop: a listener may block, or use this socket.
            Thread.ofVirtual().name("reseau-handshake-completed").start(() -> toNotify.forEach(l -> l.handshakeCompleted(event)));
        }
        return outcome;
    }

    /**
     * A first read that finds the handshake not yet done waits for the first plaintext, not for
     * the handshake: waiting for its end would wake the reader only to wait again for the bytes
     * behind it (a server's first read, every connection). The handshake's failure, a timeout or
     * the end of the stream before the handshake ended surface as they would from startHandshake.
     */
    private int readThroughHandshake(byte[] bytes, int offset, int length) throws IOException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        CompletableFuture<TlsNegotiation> started = beginHandshake();
        int n;
        try {
            n = transportInput().read(bytes, offset, length);
        } catch (IOException e) {
            if (session != null) {
                throw closedBy(e); // the handshake succeeded: an ordinary read failure
            }
            throw handshakeCutShort(started, e);
        }
        if (session == null) {
            throw handshakeCutShort(started, null); // the stream ended before the handshake did
        }
        return n;
    }

    /**
     * What a first read that ended before the session throws: the handshake's failure as
     * startHandshake reports it, once the handshake has ended; else the read's own (a timeout, an
     * interrupt, a close), the handshake abandoned as startHandshake's wait abandons it.
     */
    private IOException handshakeCutShort(CompletableFuture<TlsNegotiation> started, IOException readFailure) throws IOException {
        if (started.isDone() && !(readFailure instanceof SocketTimeoutException)) {
            requireSucceeded(Handshakes.await(started, 0, this::abandonHandshake)); // at once: it has ended
        }
        abandonHandshake();
        return readFailure != null ? readFailure : new SSLHandshakeException("the connection ended during the TLS handshake");
    }

    /**
     * JSSE's rule for a read that failed after the handshake, or a write that failed in TLS: the
     * connection is over, so the socket closes (and the TCP connection with it, unless layered
     * without autoClose); a timeout or an interrupt leaves it open. Returns {@code failure} to be
     * thrown.
     */
    private IOException closedBy(IOException failure) {
        if (!(failure instanceof InterruptedIOException)) {
            try {
                close();
            } catch (IOException closeFailure) {
                // the connection already failed: its close can only fail the same way
            }
        }
        return failure;
    }

    private void abandonHandshake() throws IOException {
        close();
        if (!autoClose) {
            transport.close(); // a handshake cut short leaves nothing usable on the connection
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
            if (handshake != null && mode != clientMode) {
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

    // The TCP socket's streams, taken once: java.net.Socket checks its state under a lock on
    // every getInputStream, which a read per record should not pay. A race makes two, both valid.
    private volatile InputStream transportInput;
    private volatile OutputStream transportOutput;

    private InputStream transportInput() throws IOException {
        InputStream in = transportInput;
        if (in == null) {
            in = transport.getInputStream();
            transportInput = in;
        }
        return in;
    }

    private OutputStream transportOutput() throws IOException {
        OutputStream out = transportOutput;
        if (out == null) {
            out = transport.getOutputStream();
            transportOutput = out;
        }
        return out;
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
            if (session == null && length > 0) {
                return readThroughHandshake(bytes, offset, length);
            }
            handshakeForIo();
            if (closed) {
                throw new SocketException("Socket closed");
            }
            try {
                return transportInput().read(bytes, offset, length);
            } catch (IOException e) {
                throw closedBy(e);
            }
        }

        @Override
        public int available() throws IOException {
            return session == null || closed ? 0 : transportInput().available();
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
            handshakeForIo();
            if (closed) {
                throw new SocketException("Socket closed");
            }
            try {
                transportOutput().write(bytes, offset, length);
            } catch (SSLException e) {
                throw closedBy(e); // a failure of the socket below leaves this open, as in JSSE
            }
        }

        @Override
        public void close() throws IOException {
            ReseauSSLSocket.this.close();
        }
    }

    /**
     * Sends close_notify (once the handshake is done) and closes; with {@code autoClose} false the
     * TCP connection stays open after close_notify.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (autoClose) {
            transport.close();
        } else if (session != null && !transport.isClosed() && !transport.isOutputShutdown()) {
            transport.shutdownOutput();
        }
    }

    @Override
    public boolean isClosed() {
        return closed || transport.isClosed();
    }

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
    public boolean isInputShutdown() {
        return transport.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return transport.isOutputShutdown();
    }

    /** TLS's half-close: sends close_notify; this side can still read. */
    @Override
    public void shutdownOutput() throws IOException {
        handshakeForIo();
        transport.shutdownOutput();
    }

    @Override
    public void shutdownInput() throws IOException {
        transport.shutdownInput();
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
