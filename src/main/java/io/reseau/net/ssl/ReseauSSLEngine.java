package io.reseau.net.ssl;

import io.reseau.common.IoErrorException;
import io.reseau.tls.ClientHelloChoice;
import io.reseau.tls.TlsConnection;
import io.reseau.tls.TlsContext;
import io.reseau.tls.TlsFailure;
import io.reseau.tls.TlsNegotiation;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * An {@link SSLEngine} on s2n: a {@link TlsConnection} driven by {@code wrap} and {@code unwrap}
 * on the caller's thread, with JSSE's engine contract around it. It does no I/O and never blocks
 * or parks inside s2n. It has no delegated tasks ({@link #getDelegatedTask()} is null): the trust
 * manager runs within the {@code unwrap} that brings the peer's certificates, and a server's key
 * manager and protocol selector within the one that reads the client's hello (why not in a task:
 * {@code S2nConnection}).
 *
 * <p>Statuses follow JSSE's engine: one record per {@code unwrap}, BUFFER_UNDERFLOW consuming
 * nothing until a whole record is there, BUFFER_OVERFLOW when the room given is less than the
 * record may carry ({@code wrap}: less than {@link SSLSession#getPacketBufferSize()}), up to 16 KiB
 * of plaintext per {@code wrap}. close_notify goes both ways; in TLS 1.2 a received close_notify is
 * answered (NEED_WRAP), in TLS 1.3 the engine can go on sending. {@link #closeInbound()} without
 * the peer's close_notify throws JSSE's truncation {@link SSLException}.
 *
 * <p>Threads: one thread may {@code wrap} while another {@code unwrap}s, as s2n allows one sender
 * and one receiver at a time; until the handshake is done, every call that drives it holds both
 * sides. Renegotiation is refused (s2n ignores a server's HelloRequest and refuses a client's new
 * ClientHello). The s2n connection is freed once both directions are done, or when the engine
 * becomes unreachable.
 */
final class ReseauSSLEngine extends SSLEngine {
    private final SslConfiguration configuration;
    private final SSLParameters clientDefaults;
    private final SSLParameters serverDefaults;
    // Held for the side of a call; both while the handshake runs (s2n's rule), inbound first.
    private final ReentrantLock inbound = new ReentrantLock();
    private final ReentrantLock outbound = new ReentrantLock();
    private final BufferRelease bufferRelease = new BufferRelease(this::releaseBuffersIfFree);
    private final SslSettings settings;
    private final Object modeLock = new Object();
    private volatile boolean modeChosen;
    private volatile boolean clientMode;
    private volatile BiFunction<SSLEngine, List<String>, String> protocolSelector;

    private volatile TlsConnection tls; // from the first handshake step on
    private Cleaner.Cleanable release;
    private HandshakePlan plan;
    private SSLParameters handshakeParameters; // what the handshake started with
    private volatile List<X509Certificate> localChain; // the plan's, or the server's choice at the client's hello
    private volatile String handshakeApplicationProtocol; // a server's selector's choice, while the handshake runs
    private volatile HandshakeStatus need; // what the handshake waits for while it runs
    private boolean recordSeen;
    private volatile ReseauSSLSession handshakeSession;
    private volatile ReseauSSLSession session;
    private volatile String applicationProtocol;
    private volatile boolean unsentOutput;
    private volatile boolean failed;
    private volatile boolean closeNotifyReceived;
    private volatile boolean inboundDone;
    private volatile boolean outboundClosing; // close_notify (or the failure's alert) is to be wrapped
    private volatile boolean outboundDone;
    private volatile boolean released;

    ReseauSSLEngine(SslConfiguration configuration, String peerHost, int peerPort, SSLParameters clientDefaults,
            SSLParameters serverDefaults) {
        super(peerHost, peerPort);
        this.configuration = configuration;
        this.clientDefaults = clientDefaults;
        this.serverDefaults = serverDefaults;
        this.settings = new SslSettings(serverDefaults); // JSSE's engines start in server mode
    }

    // ---- wrap ----

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        if (srcs == null || dst == null) {
            throw new IllegalArgumentException("source or destination buffer is null");
        }
        Objects.checkFromIndexSize(offset, length, srcs.length);
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i] == null) {
                throw new IllegalArgumentException("source buffer[" + i + "] == null");
            }
        }
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        requireMode();
        boolean both = lock(outbound);
        try {
            if (outboundDone) {
                return new SSLEngineResult(Status.CLOSED, getHandshakeStatus(), 0, 0);
            }
            kickstart();
            if (tls == null) { // closed before it started
                outboundDone = true;
                return new SSLEngineResult(Status.CLOSED, getHandshakeStatus(), 0, 0);
            }
            if (handshaking() && need != HandshakeStatus.NEED_WRAP) {
                return new SSLEngineResult(Status.OK, need, 0, 0);
            }
            if (dst.remaining() < ReseauSSLSession.PACKET_BUFFER_SIZE) {
                return new SSLEngineResult(Status.BUFFER_OVERFLOW, getHandshakeStatus(), 0, 0);
            }
            int before = dst.position();
            if (failed || outboundClosing) {
                if (tls.closeOutput(dst)) {
                    outboundClosing = false;
                    unsentOutput = false;
                    outboundDone = true;
                }
                return new SSLEngineResult(Status.CLOSED, getHandshakeStatus(), 0, dst.position() - before);
            }
            if (handshaking()) {
                HandshakeStatus status = afterStep(handshakeStep(null, dst));
                if (!tls.hasUnsentOutput()) {
                    releaseBuffersWhileIdle(inbound, both); // the handshake may have just ended
                }
                return new SSLEngineResult(Status.OK, status, 0, dst.position() - before);
            }
            int taken;
            try {
                taken = tls.encrypt(srcs, offset, length, dst);
            } catch (IoErrorException e) {
                throw failed(e, false);
            }
            unsentOutput = tls.hasUnsentOutput();
            if (!unsentOutput && !anyRemaining(srcs, offset, length)) {
                releaseBuffersWhileIdle(inbound, both);
            }
            return new SSLEngineResult(Status.OK, getHandshakeStatus(), taken, dst.position() - before);
        } finally {
            unlock(outbound, both);
        }
    }

    // ---- unwrap ----

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        if (src == null || dsts == null) {
            throw new IllegalArgumentException("source or destination buffer is null");
        }
        Objects.checkFromIndexSize(offset, length, dsts.length);
        long room = 0;
        for (int i = offset; i < offset + length; i++) {
            if (dsts[i] == null) {
                throw new IllegalArgumentException("destination buffer[" + i + "] == null");
            }
            if (dsts[i].isReadOnly()) {
                throw new ReadOnlyBufferException();
            }
            room += dsts[i].remaining();
        }
        requireMode();
        boolean both = lock(inbound);
        try {
            if (inboundDone) {
                return new SSLEngineResult(Status.CLOSED, getHandshakeStatus(), 0, 0);
            }
            kickstart();
            if (tls == null || (session == null && !handshaking())) { // closed before or during the handshake
                inboundDone = true;
                return new SSLEngineResult(Status.CLOSED, getHandshakeStatus(), 0, 0);
            }
            if (handshaking() && need != HandshakeStatus.NEED_UNWRAP) {
                return new SSLEngineResult(Status.OK, need, 0, 0);
            }
            if (!src.hasRemaining()) {
                return new SSLEngineResult(Status.BUFFER_UNDERFLOW, getHandshakeStatus(), 0, 0);
            }
            int recordLength;
            try {
                recordLength = RecordFraming.recordLength(src, !clientMode && !recordSeen);
            } catch (SSLException e) {
                throw failed(e);
            }
            ReseauSSLSession agreed = session;
            if (agreed != null && recordLength > 0
                    && RecordFraming.maxPlaintext(recordLength, tls.negotiation()) > room) {
                return new SSLEngineResult(Status.BUFFER_OVERFLOW, getHandshakeStatus(), 0, 0);
            }
            if (recordLength < 0 || src.remaining() < recordLength) {
                return new SSLEngineResult(Status.BUFFER_UNDERFLOW, getHandshakeStatus(), 0, 0);
            }
            recordSeen = true;
            ByteBuffer record = src.duplicate().limit(src.position() + recordLength);
            int start = src.position();
            try {
                if (agreed == null) {
                    HandshakeStatus status = afterStep(handshakeStep(record, null));
                    if (record.position() == src.limit()) {
                        releaseBuffersWhileIdle(outbound, both); // the handshake may have just ended
                    }
                    return new SSLEngineResult(Status.OK, status, record.position() - start, 0);
                }
                int n;
                try {
                    n = tls.decrypt(record, dsts, offset, length);
                } catch (IoErrorException e) {
                    throw failed(e, false);
                }
                if (n < 0) {
                    onCloseNotify();
                    return new SSLEngineResult(Status.CLOSED, getHandshakeStatus(), record.position() - start, 0);
                }
                if (record.position() == src.limit()) {
                    releaseBuffersWhileIdle(outbound, both);
                }
                return new SSLEngineResult(Status.OK, getHandshakeStatus(), record.position() - start, n);
            } finally {
                src.position(record.position()); // what s2n read is consumed, even when it failed
            }
        } finally {
            unlock(inbound, both);
        }
    }

    // ---- the handshake ----

    @Override
    public void beginHandshake() throws SSLException {
        requireMode();
        if (session != null) {
            throw new SSLException("Reseau does not renegotiate: the handshake is done");
        }
        if (inboundDone || outboundDone || outboundClosing) {
            throw new SSLException("Cannot kickstart, the connection is broken or closed");
        }
        boolean both = lock(inbound);
        try {
            kickstart();
        } finally {
            unlock(inbound, both);
        }
    }

    /** Both sides held: makes the TLS connection the first time a call needs it. */
    private void kickstart() throws SSLException {
        if (tls != null || inboundDone || outboundDone) {
            return;
        }
        HandshakePlan made = HandshakePlan.of(configuration, clientMode, settings.current(), getPeerHost(), getPeerPort(),
                JavaPeerCheck.of(configuration.trustManager(), this));
        TlsConnection opened;
        try {
            opened = clientMode ? TlsConnection.open(made.options()) : TlsConnection.open(made.options(), this::answerHello);
        } catch (IoErrorException | RuntimeException e) {
            throw new SSLException("Reseau could not start TLS: " + e.getMessage(), e);
        }
        release = Dropped.CLEANER.register(this, opened::close);
        plan = made;
        handshakeParameters = settings.current();
        localChain = made.localChain();
        handshakeSession = ReseauSSLSession.handshaking(made.localChain(), getPeerHost(), getPeerPort(), made.serverNames());
        need = clientMode ? HandshakeStatus.NEED_WRAP : HandshakeStatus.NEED_UNWRAP;
        tls = opened;
    }

    /**
     * A server's answer to the client's hello, inside the unwrap that reads it: the handshake
     * session now holds the names the client asked for, so that an {@code X509ExtendedKeyManager}
     * chooses the certificate by SNI ({@code chooseEngineServerAlias}); the protocol selector, if
     * any, chooses the ALPN protocol among those offered, as JSSE asks them.
     */
    private ClientHelloChoice.ServerAnswer answerHello(String serverName, List<String> offeredProtocols) {
        List<SNIServerName> requested = SniNames.received(serverName);
        handshakeSession = ReseauSSLSession.handshaking(localChain, getPeerHost(), getPeerPort(), requested);
        TlsContext answerWith = null;
        String alias = configuration.engineServerAlias(this);
        if (alias == null) {
            return ClientHelloChoice.ServerAnswer.refuse("No available authentication scheme: the key manager chose no certificate");
        }
        if (!alias.equals(configuration.serverAlias())) {
            try {
                answerWith = configuration.serverContext(Set.of(handshakeParameters.getProtocols()),
                        HandshakePlan.clientAuth(handshakeParameters), alias);
            } catch (SSLException e) {
                return ClientHelloChoice.ServerAnswer.refuse(e.getMessage());
            }
            localChain = configuration.chain(alias);
            handshakeSession = ReseauSSLSession.handshaking(localChain, getPeerHost(), getPeerPort(), requested);
        }
        List<String> alpn = null;
        BiFunction<SSLEngine, List<String>, String> selector = protocolSelector;
        if (selector != null) {
            String chosen = selector.apply(this, offeredProtocols);
            if (chosen == null) {
                return ClientHelloChoice.ServerAnswer.refuse("No matching application protocol: the selector took none of " + offeredProtocols);
            }
            if (!chosen.isEmpty() && !offeredProtocols.contains(chosen)) {
                return ClientHelloChoice.ServerAnswer.refuse("the selector chose " + chosen + ", which the client does not offer");
            }
            alpn = chosen.isEmpty() ? List.of() : List.of(chosen);
            handshakeApplicationProtocol = chosen;
        }
        return new ClientHelloChoice.ServerAnswer(answerWith, alpn, null);
    }

    /** Whether the handshake runs and may go on: started, neither done nor failed nor abandoned by a close. */
    private boolean handshaking() {
        return tls != null && session == null && !failed && !inboundDone && !outboundClosing && !outboundDone;
    }

    private TlsConnection.Progress handshakeStep(ByteBuffer input, ByteBuffer output) throws SSLException {
        try {
            return tls.handshake(input, output);
        } catch (IoErrorException e) {
            throw failed(e, true);
        }
    }

    /** The status after a handshake step: FINISHED when it ended, else what it waits for. */
    private HandshakeStatus afterStep(TlsConnection.Progress progress) {
        HandshakeStatus status = switch (progress) {
            case DONE -> HandshakeStatus.FINISHED;
            case NEEDS_OUTPUT -> HandshakeStatus.NEED_WRAP;
            case NEEDS_INPUT -> HandshakeStatus.NEED_UNWRAP;
        };
        if (status == HandshakeStatus.FINISHED) {
            onNegotiated();
        } else {
            need = status;
        }
        return status;
    }

    private void onNegotiated() {
        TlsNegotiation agreed = tls.negotiation();
        applicationProtocol = agreed.applicationProtocol() == null ? "" : agreed.applicationProtocol();
        List<SNIServerName> serverNames = clientMode ? plan.serverNames() : SniNames.received(agreed.serverName());
        session = plan.session(agreed, localChain, getPeerHost(), getPeerPort(), serverNames);
        unsentOutput = tls.hasUnsentOutput(); // a server's tickets, when the step had no room for them
        handshakeSession = null;
        handshakeApplicationProtocol = null;
        need = null;
    }

    @Override
    public Runnable getDelegatedTask() {
        return null;
    }

    @Override
    public HandshakeStatus getHandshakeStatus() {
        if (tls == null || outboundDone) {
            return HandshakeStatus.NOT_HANDSHAKING;
        }
        if (failed || outboundClosing) {
            return HandshakeStatus.NEED_WRAP;
        }
        if (session == null) {
            HandshakeStatus waiting = need;
            return waiting != null ? waiting : HandshakeStatus.NOT_HANDSHAKING;
        }
        return unsentOutput ? HandshakeStatus.NEED_WRAP : HandshakeStatus.NOT_HANDSHAKING;
    }

    // ---- failures and closes ----

    private SSLException failed(IoErrorException e, boolean handshake) {
        TlsFailure failure = tls.failure();
        String message = failure != null ? failure.toString() : e.getMessage();
        SSLException thrown = handshake ? new SSLHandshakeException(message) : new SSLException(message);
        thrown.initCause(e);
        boolean peerAlerted = failure != null && failure.alert() >= 0;
        return failed(thrown, peerAlerted);
    }

    private SSLException failed(SSLException e) {
        return failed(e, false);
    }

    /**
     * The connection is over: nothing more is read; what s2n has to say last (its alert, or
     * close_notify) is wrapped next, unless the peer's own alert ended it.
     */
    private SSLException failed(SSLException e, boolean peerAlerted) {
        failed = true;
        inboundDone = true;
        if (peerAlerted) {
            outboundDone = true;
        }
        return e;
    }

    private void onCloseNotify() {
        closeNotifyReceived = true;
        inboundDone = true;
        if (!"TLSv1.3".equals(session.getProtocol()) && !outboundDone) {
            outboundClosing = true; // TLS 1.2 has no half-close: close_notify answers close_notify
        }
    }

    @Override
    public void closeInbound() throws SSLException {
        boolean both = lock(inbound);
        try {
            if (inboundDone) {
                return;
            }
            inboundDone = true;
            boolean truncated = tls != null && !closeNotifyReceived;
            if (truncated && session == null) {
                outboundClosing = true; // the handshake is abandoned: its close goes out with the next wrap
            }
            if (truncated) {
                throw new SSLException("closing inbound before receiving peer's close_notify");
            }
        } finally {
            unlock(inbound, both);
        }
    }

    @Override
    public boolean isInboundDone() {
        return inboundDone;
    }

    @Override
    public void closeOutbound() {
        boolean both = lock(outbound);
        try {
            if (outboundDone || outboundClosing) {
                return;
            }
            if (tls == null) {
                outboundDone = true; // nothing was sent: nothing to close
                return;
            }
            outboundClosing = true;
        } finally {
            unlock(outbound, both);
        }
    }

    @Override
    public boolean isOutboundDone() {
        return outboundDone;
    }

    /**
     * Frees the s2n connection once both directions are done: with both sides held, no call is
     * inside s2n, and every later one sees the flags first and leaves s2n alone.
     */
    private void releaseNow() {
        inbound.lock();
        outbound.lock();
        try {
            if (!released && release != null) {
                released = true;
                release.clean();
            }
        } finally {
            outbound.unlock();
            inbound.unlock();
        }
    }

    // ---- idle buffers ----

    /**
     * Gives s2n's record buffers back (about 16 KB each) when a call has taken all it was given:
     * the caller has nothing more to pass through for now (after the handshake's last step too),
     * and an idle engine then holds none (the next record allocates them again), as OpenSSL's
     * engines do with {@code SSL_MODE_RELEASE_BUFFERS}; unless it gave them back moments ago, when
     * {@link BufferRelease} does it once the traffic stops. s2n keeps a buffer that still holds
     * bytes. The call holds one side; the buffers are both sides', so the other side is taken if
     * free, and the buffers are kept if it is busy.
     */
    private void releaseBuffersWhileIdle(ReentrantLock otherSide, boolean both) {
        if (!mayReleaseBuffers() || !bufferRelease.releaseNow()) {
            return;
        }
        if (!both && !otherSide.tryLock()) {
            return;
        }
        try {
            tls.releaseBuffers();
        } finally {
            if (!both) {
                otherSide.unlock();
            }
        }
    }

    /** {@link BufferRelease}'s later release: both sides if neither is held, and the buffers if they may go. */
    private void releaseBuffersIfFree() {
        if (!inbound.tryLock()) {
            return;
        }
        try {
            if (!outbound.tryLock()) {
                return;
            }
            try {
                if (mayReleaseBuffers() && !tls.hasUnsentOutput()) {
                    tls.releaseBuffers();
                }
            } finally {
                outbound.unlock();
            }
        } finally {
            inbound.unlock();
        }
    }

    private boolean mayReleaseBuffers() {
        return session != null && !failed && !outboundClosing && !released;
    }

    private static boolean anyRemaining(ByteBuffer[] buffers, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (buffers[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    // ---- locks ----

    /**
     * Locks {@code side}, and both sides (inbound first) while the handshake may still run; returns
     * whether both are held.
     */
    private boolean lock(ReentrantLock side) {
        if (session == null) {
            inbound.lock();
            outbound.lock();
            return true;
        }
        side.lock();
        return false;
    }

    /** Undoes {@link #lock}, then frees the s2n connection if this call ended its last direction. */
    private void unlock(ReentrantLock side, boolean both) {
        if (both) {
            outbound.unlock();
            inbound.unlock();
        } else {
            side.unlock();
        }
        if (inboundDone && outboundDone && !released) {
            releaseNow();
        }
    }

    private void requireMode() {
        if (!modeChosen) {
            throw new IllegalStateException("Client/Server mode has not yet been set.");
        }
    }

    // ---- sessions ----

    @Override
    public SSLSession getSession() {
        ReseauSSLSession current = session;
        if (current == null) {
            return ReseauSSLSession.invalid(getPeerHost(), getPeerPort());
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
        TlsConnection current = tls;
        return current == null ? null : current.negotiation();
    }

    @Override
    public String getApplicationProtocol() {
        return applicationProtocol;
    }

    /** A server's selector's choice while the handshake runs; otherwise null (s2n tells the protocol only once done). */
    @Override
    public String getHandshakeApplicationProtocol() {
        return handshakeApplicationProtocol;
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        protocolSelector = selector;
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return protocolSelector;
    }

    // ---- parameters ----

    @Override
    public void setUseClientMode(boolean mode) {
        synchronized (modeLock) {
            if (tls != null && mode != clientMode) {
                throw new IllegalArgumentException("Cannot change mode after SSL traffic has started");
            }
            if (!modeChosen || mode != clientMode) {
                settings.defaultProtocols((mode ? clientDefaults : serverDefaults).getProtocols());
            }
            clientMode = mode;
            modeChosen = true;
        }
    }

    @Override
    public boolean getUseClientMode() {
        return clientMode;
    }

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

    @Override
    public String toString() {
        ReseauSSLSession current = session;
        return "ReseauSSLEngine[" + (clientMode ? "client" : "server") + ", "
                + (current != null ? current.getProtocol() + " " + current.getCipherSuite() : tls == null ? "not started" : "handshaking")
                + (getPeerHost() != null ? ", " + getPeerHost() + ":" + getPeerPort() : "") + "]";
    }
}
