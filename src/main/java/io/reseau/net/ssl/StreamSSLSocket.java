package io.reseau.net.ssl;

import io.reseau.common.IoErrorException;
import io.reseau.tls.TlsConnection;
import io.reseau.tls.TlsFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.ref.Cleaner;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

/**
 * TLS over any connected {@link Socket}, the JDK's or another library's: s2n works on buffers
 * through a {@link TlsConnection}, and the calling thread moves them through the socket's own
 * streams, so a virtual thread parks in that socket, never inside s2n. The socket below decides
 * what a blocked call does: SO_TIMEOUT (set here or on it) times a read out and the socket stays
 * usable; an interrupt of a virtual thread, or a close from another thread, fails the call as
 * that socket fails it. A server's bytes already taken from the socket ({@code consumed}, such as
 * a ClientHello it looked at) are read first.
 *
 * <p>The handshake runs on the first thread that needs it, alone, holding both sides; each of its
 * socket reads waits at most SO_TIMEOUT, and all of them the negotiation timeout (10 s). After it,
 * one reader and one writer may run at once, as s2n allows one thread in s2n_recv and one in
 * s2n_send. Over a connection it does not own (autoClose false) it reads no byte past the record
 * it needs, so the connection goes on exactly where TLS ended.
 *
 * <p>A close sends close_notify unless a write is under way (its record may be half sent, or wait
 * on a peer that does not read: a close does not wait for it), and never waits for a read blocked
 * in the socket below. The s2n connection is freed once the socket is closed, its close has said
 * its last words and no call is inside it, by whichever of them ends last. A connection that
 * failed in TLS is closed whatever autoClose says, as JSSE closes it, after the alert that tells
 * the peer; where s2n blinds the failure, both wait out its delay
 * ({@link TlsConnection#closeDelay()}) on the JDK's shared timer, no thread held for each, and the
 * peer hears nothing before.
 *
 * <p>An idle connection holds no buffer: each side takes a ciphertext buffer from a pool shared by
 * all stream sockets while it has ciphertext in it, and once the reading side has nothing left
 * (after a read, before it waits for the peer, after the handshake) it gives s2n's record buffers
 * back too, unless a write is under way. A reader then waits for a quiet peer with a small array
 * of its own.
 */
final class StreamSSLSocket extends ReseauSSLSocket {
    /**
     * The most the first read after the connection went idle takes, into an array of its own: all a
     * reader holds while it waits for a quiet peer, and room for a small record (a request, a
     * ping) to arrive whole. A larger one continues in a ciphertext buffer.
     */
    private static final int FIRST_READ_WHEN_IDLE = 2048;

    private final InputStream consumed; // null when the server took nothing
    // The handshake's turn: callers that need the handshake wait here, not on a side, so that none
    // waits behind a reader that took its side once the handshake was done.
    private final ReentrantLock handshaking = new ReentrantLock();
    // Held for the side of a call; both while the handshake runs, reading first.
    private final ReentrantLock reading = new ReentrantLock();
    private final ReentrantLock writing = new ReentrantLock();

    // Set once by the first handshake step, with both sides held.
    private volatile TlsConnection tls;
    private Cleaner.Cleanable release;
    private HandshakePlan plan; // until the handshake has succeeded
    private InputStream in;
    private OutputStream out;
    private RecordBoundary boundary; // null: a read takes what the socket has
    private ByteBuffer received; // reading side: ciphertext s2n has not taken, position to limit; null: none
    private boolean streaming; // reading side: the last read took a record's worth or more: read in batches
    private ByteBuffer toSend; // writing side: ciphertext for the peer, 0 to position; null between records
    private SSLException laterReadFailure; // reading side: a bad record met after plaintext the read gave

    private volatile String handshakeFailure; // why the handshake failed: later calls throw it again
    private volatile boolean inputEnded; // close_notify or the end of the stream came, or shutdownInput
    private volatile boolean outputClosed; // close_notify (or the failure's alert) was sent
    private Long lastWordsAt; // guarded by both sides: when a failed connection may tell the peer (nanoTime)
    // Closes that have yet to say their last words (close_notify, or a failure's alert after s2n's
    // delay): the connection is not freed under them.
    private final AtomicInteger closesAtWork = new AtomicInteger();
    private volatile boolean released; // written with both sides held

    StreamSSLSocket(SslConfiguration configuration, Socket transport, String peerHost, int peerPort, boolean autoClose,
            boolean clientMode, SSLParameters shared, InputStream consumed) {
        super(configuration, transport, peerHost, peerPort, autoClose, clientMode, shared);
        this.consumed = consumed;
    }

    // ---- the handshake ----

    /**
     * Runs the handshake if it has not run, once: a later call throws how it failed. A timeout, an
     * interrupt or a close cuts it short and closes the socket; a failure of TLS leaves it to be
     * closed.
     */
    @Override
    void handshake() throws IOException {
        if (handshakeDone()) {
            return;
        }
        if (handshaking.isHeldByCurrentThread()) {
            // A trust or key manager asks this socket for its session from within the handshake.
            throw new SSLHandshakeException("the handshake runs on this thread and has not ended");
        }
        handshaking.lock();
        try {
            if (handshakeDone()) {
                return;
            }
            if (handshakeFailure != null) {
                throw new SSLHandshakeException(handshakeFailure);
            }
            reading.lock();
            writing.lock();
            try {
                if (isClosed()) { // looked at with the sides held: no close has freed the connection under them
                    throw new SocketException("Socket is closed");
                }
                runOrAbandonHandshake();
            } finally {
                writing.unlock();
                reading.unlock();
            }
        } finally {
            handshaking.unlock();
            releaseIfDone();
        }
    }

    /** Both sides held: the handshake; cut short by a timeout, an interrupt or a close, it closes the socket. */
    private void runOrAbandonHandshake() throws IOException {
        try {
            runHandshake();
        } catch (SSLHandshakeException e) {
            throw e;
        } catch (IOException e) {
            try {
                abandonHandshake();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Both sides held: handshake steps, each one's records sent before the next waits for the peer. */
    private void runHandshake() throws IOException {
        if (tls == null) {
            open();
        }
        long timeout = plan.options().effectiveNegotiationTimeout().toNanos();
        long deadline = timeout > 0 ? System.nanoTime() + timeout : 0;
        while (true) {
            TlsConnection.Progress progress;
            try {
                progress = tls.handshake(received, sending());
            } catch (IoErrorException e) {
                throw handshakeFailed(failureOf(e));
            }
            flush();
            if (progress == TlsConnection.Progress.DONE) {
                onHandshakeEnded(tls.negotiation(), plan);
                plan = null; // what it held is in the session now: idle connections are many
                if (received == null || !received.hasRemaining()) {
                    releaseIdleBuffers();
                }
                return;
            }
            if (progress == TlsConnection.Progress.NEEDS_INPUT && !fillForHandshake(deadline)) {
                throw handshakeFailed("the peer closed the connection during the TLS handshake");
            }
        }
    }

    /** Both sides held: the TLS connection and the socket's streams. */
    private void open() throws IOException {
        InputStream fromSocket = transport.getInputStream();
        OutputStream toSocket = transport.getOutputStream();
        HandshakePlan made = planHandshake();
        TlsConnection opened;
        try {
            opened = TlsConnection.open(made.options());
        } catch (IoErrorException | RuntimeException e) {
            throw new SSLException("Reseau could not start TLS: " + e.getMessage(), e);
        }
        release = Dropped.CLEANER.register(this, opened::close);
        in = consumed == null ? fromSocket : new SequenceInputStream(consumed, fromSocket);
        out = toSocket;
        boundary = autoClose ? null : new RecordBoundary(!getUseClientMode());
        plan = made;
        tls = opened;
    }

    /**
     * {@link #fill()} within the negotiation timeout: a read that would wait past the deadline
     * waits until it (the socket's SO_TIMEOUT lowered for that read), then fails the handshake.
     */
    private boolean fillForHandshake(long deadline) throws IOException {
        if (deadline == 0) {
            return fill();
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw negotiationTimedOut();
        }
        int soTimeout = transport.getSoTimeout();
        if (soTimeout > 0 && soTimeout <= left) {
            return fill();
        }
        transport.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
        try {
            return fill();
        } catch (SocketTimeoutException e) {
            throw negotiationTimedOut();
        } finally {
            restoreSoTimeout(soTimeout);
        }
    }

    private void restoreSoTimeout(int soTimeout) {
        try {
            transport.setSoTimeout(soTimeout);
        } catch (SocketException e) {
            // closed meanwhile: the read's own failure says so
        }
    }

    private SSLHandshakeException negotiationTimedOut() {
        return handshakeFailed("no TLS handshake within " + plan.options().effectiveNegotiationTimeout().toMillis() + " ms");
    }

    /**
     * Both sides held: the handshake failed; later calls are told again. The peer hears at once,
     * unless s2n blinds the failure: then at the close, after the delay.
     */
    private SSLHandshakeException handshakeFailed(String why) {
        onHandshakeFailed();
        handshakeFailure = why;
        if (lastWordsAt() - System.nanoTime() <= 0) {
            sendLastRecord();
        }
        return new SSLHandshakeException(why);
    }

    private String failureOf(IoErrorException e) {
        TlsFailure failure = tls.failure();
        return failure != null ? failure.toString() : e.getMessage();
    }

    // ---- bytes through the socket ----

    /**
     * Reads ciphertext behind what s2n has not taken, waiting for at least one byte (at most up to
     * the current record's end, when reading must stop where TLS ends). Reading side held. With
     * nothing buffered and the connection idle ({@link #releaseIdleBuffers()}), the read goes into
     * a small array of its own rather than a ciphertext buffer.
     *
     * @return false at the end of the stream
     */
    private boolean fill() throws IOException {
        if (received == null || !received.hasRemaining()) {
            boolean idle = releaseIdleBuffers();
            streaming &= !idle;
            received = (idle ? ByteBuffer.allocate(FIRST_READ_WHEN_IDLE) : CiphertextBuffers.take(streaming)).flip();
        }
        received.compact();
        try {
            int room = boundary == null ? received.remaining() : Math.min(received.remaining(), boundary.wanted());
            int n = in.read(received.array(), received.position(), room);
            if (n < 0) {
                return false;
            }
            if (boundary != null) {
                try {
                    boundary.advance(received.array(), received.position(), n);
                } catch (SSLException e) {
                    throw handshakeDone() ? e : handshakeFailed(e.getMessage());
                }
            }
            received.position(received.position() + n);
            streaming = n >= RecordFraming.MAX_PLAINTEXT_LENGTH;
            return true;
        } finally {
            received.flip();
        }
    }

    /**
     * Reading side held, nothing buffered in {@code received}: gives it back, and TLS's buffers
     * too unless a write is under way (they are both sides'; s2n keeps a buffer that holds bytes).
     *
     * @return whether the connection is idle: s2n held nothing either, so the peer's next bytes start a record
     */
    private boolean releaseIdleBuffers() {
        if (received != null) {
            CiphertextBuffers.giveBack(received);
            received = null;
        }
        if (!handshakeDone() || released || tls.failure() != null || !writing.tryLock()) {
            return false;
        }
        try {
            return tls.releaseBuffers();
        } finally {
            writing.unlock();
        }
    }

    /** The buffer TLS writes a record into: a shared one, held until {@link #flush()}. Writing side held. */
    private ByteBuffer sending() {
        return sending(false);
    }

    /** The buffer TLS writes records into, with room for a batch of them or for one. Writing side held. */
    private ByteBuffer sending(boolean batch) {
        if (toSend == null) {
            toSend = CiphertextBuffers.take(batch);
        }
        return toSend;
    }

    /** Sends what TLS wrote, and gives the buffer back. Writing side held. */
    private void flush() throws IOException {
        if (toSend == null) {
            return;
        }
        try {
            if (toSend.position() > 0) {
                out.write(toSend.array(), 0, toSend.position());
            }
        } finally {
            CiphertextBuffers.giveBack(toSend);
            toSend = null;
        }
    }

    @Override
    int readPlaintext(byte[] bytes, int offset, int length) throws IOException {
        handshake();
        try {
            return readRecords(bytes, offset, length);
        } catch (IOException e) {
            throw closedBy(e);
        }
    }

    private int readRecords(byte[] bytes, int offset, int length) throws IOException {
        reading.lock();
        try {
            if (closeCalled()) {
                throw new SocketException("Socket closed");
            }
            if (inputEnded) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            if (laterReadFailure != null) {
                throw laterReadFailure;
            }
            ByteBuffer[] into = {ByteBuffer.wrap(bytes, offset, length)};
            int given = 0;
            while (true) {
                int n;
                try {
                    n = tls.decrypt(received, into, 0, 1);
                } catch (IoErrorException e) {
                    SSLException failed = new SSLException(failureOf(e), e);
                    if (given > 0) {
                        laterReadFailure = failed; // the bytes before the bad record go first
                        return given;
                    }
                    throw failed;
                }
                if (n > 0) {
                    given += n;
                    if (into[0].hasRemaining() && received != null && received.hasRemaining()) {
                        continue; // what else has arrived, without waiting
                    }
                    return given;
                }
                if (n < 0) { // close_notify
                    inputEnded = true;
                    return given > 0 ? given : -1;
                }
                if (given > 0) {
                    return given;
                }
                if ((received == null || !received.hasRemaining()) && !fill()) {
                    inputEnded = true; // the end of the stream without close_notify: the end all the same, as in JSSE
                    return -1;
                }
            }
        } finally {
            if (received == null || !received.hasRemaining()) {
                releaseIdleBuffers();
            }
            reading.unlock();
            releaseIfDone();
        }
    }

    @Override
    void writePlaintext(byte[] bytes, int offset, int length) throws IOException {
        handshake();
        try {
            writeRecords(bytes, offset, length);
        } catch (SSLException e) {
            throw closedBy(e); // a failure of the socket below leaves this open, as in JSSE
        }
    }

    private void writeRecords(byte[] bytes, int offset, int length) throws IOException {
        writing.lock();
        try {
            if (closeCalled()) {
                throw new SocketException("Socket closed");
            }
            if (outputClosed) {
                throw new SocketException("Socket output is already shutdown");
            }
            ByteBuffer[] from = {ByteBuffer.wrap(bytes, offset, length)};
            while (from[0].hasRemaining() || tls.hasUnsentOutput()) {
                ByteBuffer records = sending(from[0].remaining() > RecordFraming.MAX_PLAINTEXT_LENGTH);
                try {
                    do {
                        tls.encrypt(from, 0, 1, records);
                    } while (from[0].hasRemaining() && !tls.hasUnsentOutput()
                            && records.remaining() >= RecordFraming.MAX_RECORD_LENGTH);
                } catch (IoErrorException e) {
                    throw new SSLException(failureOf(e), e);
                }
                flush();
            }
        } finally {
            writing.unlock();
            releaseIfDone();
        }
    }

    @Override
    int availablePlaintext() {
        if (!handshakeDone() || inputEnded || !reading.tryLock()) {
            return 0;
        }
        try {
            return closeCalled() ? 0 : tls.pendingPlaintext();
        } finally {
            reading.unlock();
            releaseIfDone();
        }
    }

    // ---- the end ----

    /** close_notify, once (or after a failure the alert that says why). Writing side held. */
    private void sendCloseNotify() throws IOException {
        if (outputClosed) {
            return;
        }
        outputClosed = true;
        while (!tls.closeOutput(sending())) {
            flush();
        }
        flush();
    }

    /**
     * What TLS says last, close_notify or a failure's alert, unless a write is under way, the
     * output is shut, or the close is a reset (SO_LINGER 0).
     */
    private void sendLastRecord() {
        if (!writing.tryLock()) {
            return;
        }
        try {
            if (!transport.isClosed() && !transport.isOutputShutdown() && transport.getSoLinger() != 0) {
                sendCloseNotify();
            }
        } catch (IOException e) {
            // the connection fails as it ends: its end tells the peer
        } finally {
            writing.unlock();
        }
    }

    /**
     * When a failed connection may tell the peer and close (nanoTime): once s2n's blinding delay
     * has passed, asked once, with both sides held (no call inside s2n); at once if a call is
     * under way.
     */
    private long lastWordsAt() {
        if (!reading.tryLock()) {
            return System.nanoTime();
        }
        try {
            if (!writing.tryLock()) {
                return System.nanoTime();
            }
            try {
                if (lastWordsAt == null) {
                    Duration delay = tls.closeDelay();
                    lastWordsAt = System.nanoTime() + delay.toNanos();
                }
                return lastWordsAt;
            } finally {
                writing.unlock();
            }
        } finally {
            reading.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        closesAtWork.incrementAndGet(); // before the socket shows closed, so that nothing frees the connection first
        try {
            if (!markClosed()) {
                return;
            }
            TlsConnection connection = tls;
            if (connection != null && (handshakeFailure != null || connection.failure() != null)) {
                endFailed();
            } else {
                if (handshakeDone()) {
                    sendLastRecord();
                }
                if (autoClose) {
                    transport.close();
                }
            }
        } finally {
            closesAtWork.decrementAndGet();
            releaseIfDone();
        }
    }

    /** The end of a failed connection: its alert and the close below, after s2n's delay if it asks one. */
    private void endFailed() {
        long wait = lastWordsAt() - System.nanoTime();
        if (wait <= 0) {
            sendLastRecord();
            closeTransport();
            return;
        }
        closesAtWork.incrementAndGet(); // the connection stays until the delayed last words are said
        // The JDK's shared timer waits, no thread per connection; the last words go out on a virtual
        // thread, as their write may park.
        Executor afterTheDelay = CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS, Thread::startVirtualThread);
        afterTheDelay.execute(() -> {
            try {
                sendLastRecord();
                closeTransport();
            } finally {
                closesAtWork.decrementAndGet();
                releaseIfDone();
            }
        });
    }

    private void closeTransport() {
        try {
            transport.close();
        } catch (IOException e) {
            // the connection is gone either way
        }
    }

    /**
     * Frees the s2n connection once this socket is closed, no close is at work, and no call is
     * inside it: both sides free, and neither held by this thread, which may be inside s2n (a
     * manager that closes the socket). Every holder of a side calls this once it lets go, and
     * looks again after a look under the locks found a close at work: that close may have ended
     * meanwhile, its own call finding the sides taken.
     */
    private void releaseIfDone() {
        while (releasable()) {
            if (reading.isHeldByCurrentThread() || writing.isHeldByCurrentThread() || !reading.tryLock()) {
                return; // the holder looks again once it lets go
            }
            try {
                if (!writing.tryLock()) {
                    return;
                }
                try {
                    if (releasable()) {
                        released = true;
                        if (release != null) {
                            release.clean();
                        }
                    }
                } finally {
                    writing.unlock();
                }
            } finally {
                reading.unlock();
            }
        }
    }

    private boolean releasable() {
        return closeCalled() && closesAtWork.get() == 0 && !released;
    }

    /** TLS's half-close: close_notify, and the TCP connection's output too if this socket owns it. */
    @Override
    public void shutdownOutput() throws IOException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        handshake();
        writing.lock();
        try {
            if (closeCalled()) {
                throw new SocketException("Socket is closed");
            }
            sendCloseNotify();
        } finally {
            writing.unlock();
            releaseIfDone();
        }
        if (autoClose && !transport.isOutputShutdown()) {
            transport.shutdownOutput();
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        inputEnded = true;
        if (autoClose && !transport.isInputShutdown()) {
            transport.shutdownInput();
        }
    }

    @Override
    public boolean isInputShutdown() {
        return inputEnded && (!autoClose || transport.isInputShutdown());
    }

    @Override
    public boolean isOutputShutdown() {
        return outputClosed && (!autoClose || transport.isOutputShutdown());
    }
}
