package io.reseau.net.ssl;

import io.reseau.net.ReseauSocket;
import io.reseau.tls.TlsNegotiation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

/**
 * TLS inside a {@link ReseauSocket}'s channel (see {@link ReseauSocket#startTls}): s2n runs on the
 * socket's event loop, and the socket's own streams carry plaintext. The handshake waits under
 * the socket's SO_TIMEOUT as a whole; closing the TCP connection from another thread fails a
 * blocked read or write at once.
 */
final class ChannelSSLSocket extends ReseauSSLSocket {
    private final ReseauSocket channelSocket; // the transport, with TLS in its channel
    private CompletableFuture<TlsNegotiation> handshake; // guarded by handshakeLock

    ChannelSSLSocket(SslConfiguration configuration, ReseauSocket transport, String peerHost, int peerPort,
            boolean autoClose, boolean clientMode, SSLParameters shared) {
        super(configuration, transport, peerHost, peerPort, autoClose, clientMode, shared);
        this.channelSocket = transport;
    }

    // ---- the handshake ----

    @Override
    void handshake() throws IOException {
        requireSucceeded(Handshakes.await(beginHandshake(), transport.getSoTimeout(), this::abandonHandshake));
    }

    /** The handshake's outcome before any read or write: it runs first if it has not. */
    private void handshakeForIo() throws IOException {
        if (!handshakeDone()) {
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
            HandshakePlan plan = planHandshake();
            // Those who wait for the handshake see its session: they wait for onHandshakeEnded too.
            handshake = channelSocket.startTls(plan.options()).thenApply(outcome -> {
                onHandshakeEnded(outcome, plan);
                return outcome;
            });
            return handshake;
        }
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
            if (handshakeDone()) {
                throw closedBy(e); // the handshake succeeded: an ordinary read failure
            }
            throw handshakeCutShort(started, e);
        }
        if (n < 0 && !handshakeDone()) {
            throw handshakeCutShort(started, null); // the stream ended before the handshake did
        }
        if (!handshakeDone()) {
            // Plaintext came, so the handshake succeeded; its session is set as the future completes,
            // which can be a moment after the channel handed the bytes over.
            Handshakes.await(started, 0, this::abandonHandshake);
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

    // ---- streams and life ----

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

    @Override
    int readPlaintext(byte[] bytes, int offset, int length) throws IOException {
        if (!handshakeDone() && length > 0) {
            return readThroughHandshake(bytes, offset, length);
        }
        handshakeForIo();
        if (closeCalled()) {
            throw new SocketException("Socket closed");
        }
        try {
            return transportInput().read(bytes, offset, length);
        } catch (IOException e) {
            throw closedBy(e);
        }
    }

    @Override
    void writePlaintext(byte[] bytes, int offset, int length) throws IOException {
        handshakeForIo();
        if (closeCalled()) {
            throw new SocketException("Socket closed");
        }
        try {
            transportOutput().write(bytes, offset, length);
        } catch (SSLException e) {
            throw closedBy(e); // a failure of the socket below leaves this open, as in JSSE
        }
    }

    @Override
    int availablePlaintext() throws IOException {
        return !handshakeDone() || closeCalled() ? 0 : transportInput().available();
    }

    @Override
    public void close() throws IOException {
        if (!markClosed()) {
            return;
        }
        if (autoClose) {
            transport.close();
        } else if (handshakeDone() && !transport.isClosed() && !transport.isOutputShutdown()) {
            transport.shutdownOutput();
        }
    }

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
    public boolean isInputShutdown() {
        return transport.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return transport.isOutputShutdown();
    }
}
