package io.reseau.tls;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.internal.ffi.S2n;
import io.reseau.internal.ffi.S2nClientHelloCheck;
import io.reseau.internal.ffi.S2nError;
import io.reseau.internal.ffi.S2nIo;
import java.io.ByteArrayInputStream;
import java.lang.foreign.MemorySegment;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One s2n connection set up as {@link TlsConnectionOptions} say, whoever drives it (the channel
 * handler on its loop, or {@link TlsConnection} on its caller's thread): its context held, its
 * config, self-service blinding, 16 KiB records, SNI, ALPN, its bytes through an {@link S2nIo},
 * the options' peer verifier asked about the chain s2n verified, and a client's session ticket
 * offered and the new ones handed to its listener. It tells what the handshake
 * agreed, or why it failed, and frees everything once.
 *
 * <p>A server connection may also choose, once the client's hello is read, another context and
 * other ALPN protocols to answer with ({@link ClientHelloChoice}).
 *
 * <p>The verifier and the choice run inside s2n's callbacks, on the thread driving the handshake. s2n
 * 1.5.23 can pause a handshake there and let the owner answer later, but on resuming it drops
 * whatever else the certificate's record held (JSSE and OpenSSL servers send their whole flight in
 * one record), so the handshake would stall; s2n fixed that after 1.5.23 (its PR #5641).
 */
final class S2nConnection {
    private final TlsContext context;
    private ClientHelloChoice helloChoice; // null: answer as set up; dropped when the handshake ends
    private volatile TlsContext chosenContext; // held too, when the hello choice changed the context
    private TlsConnectionOptions options; // for the peer check: dropped when the handshake ends
    private final boolean client;
    private final MemorySegment handle;
    private final long io;
    private volatile String refusal; // why the peer verifier or the hello choice refused, if one did
    private volatile List<X509Certificate> verifiedChain; // what the verifier accepted, parsed once

    private S2nConnection(TlsContext context, ClientHelloChoice helloChoice, TlsConnectionOptions options, boolean client,
            MemorySegment handle, long io) {
        this.context = context;
        this.helloChoice = helloChoice;
        this.options = options;
        this.client = client;
        this.handle = handle;
        this.io = io;
    }

    /**
     * Creates the connection, reading and writing through {@code transport}.
     *
     * @param helloChoice a server's choice at the client's hello, or null
     * @throws IllegalStateException if the context is closed
     * @throws IllegalArgumentException if the context needs a peer verifier and the options have none
     */
    static S2nConnection open(TlsConnectionOptions options, S2nIo transport, ClientHelloChoice helloChoice)
            throws IoErrorException {
        TlsContext context = options.context();
        boolean client = context.options().mode() == TlsMode.CLIENT;
        if (client && helloChoice != null) {
            throw new IllegalArgumentException("a client hello choice is a server's");
        }
        if (context.options().externalPeerVerification() && options.peerVerifier() == null) {
            throw new IllegalArgumentException("the context leaves peer verification to connections: give a TlsPeerVerifier");
        }
        if (!context.acquire()) {
            throw new IllegalStateException("the TLS context is closed");
        }
        MemorySegment handle = S2n.connectionNew(client ? S2n.CLIENT : S2n.SERVER);
        if (handle.equals(MemorySegment.NULL)) {
            context.release();
            throw new IoErrorException(IoError.TLS_CTX_ERROR, "s2n could not create a connection: " + S2n.lastError());
        }
        long io = 0;
        try {
            check(S2n.connectionSetConfig(handle, context.config()), "config");
            check(S2n.connectionSetSelfServiceBlinding(handle), "blinding");
            check(S2n.connectionPreferThroughput(handle), "record size");
            if (client && options.serverName() != null) {
                check(S2n.setServerName(handle, options.serverName()), "server name");
            }
            if (options.alpn() != null) {
                check(S2n.connectionSetProtocolPreferences(handle, options.alpn()), "ALPN");
            }
            if (client) {
                resumeAndListen(handle, options);
            }
            io = S2n.setIo(handle, transport);
            if (io == 0) {
                throw new IoErrorException(IoError.TLS_CTX_ERROR, "s2n refused custom I/O: " + S2n.lastError());
            }
            S2nConnection connection = new S2nConnection(context, helloChoice, options, client, handle, io);
            if (options.peerVerifier() != null) {
                S2n.setCertificateCheck(handle, connection::judge);
            }
            if (helloChoice != null) {
                S2n.setClientHelloCheck(handle, connection::answerHello);
            }
            return connection;
        } catch (IoErrorException | RuntimeException e) {
            S2n.setSessionTicketListener(handle, null);
            S2n.connectionFree(handle);
            S2n.releaseIo(io);
            context.release();
            throw e;
        }
    }

    /**
     * Offers the options' ticket, if any and not destroyed: should s2n refuse it (a session it
     * cannot read, or too old), the handshake is a full one, as when the server declines it. Tickets received go to the
     * options' listener, for the connection's whole life (TLS 1.3 ones come after the handshake).
     */
    private static void resumeAndListen(MemorySegment handle, TlsConnectionOptions options) {
        TlsSessionTicket offered = options.sessionTicket();
        byte[] session = offered == null || !offered.expires().isAfter(Instant.now()) ? null : offered.session();
        if (session != null) {
            S2n.connectionSetSession(handle, session);
            Arrays.fill(session, (byte) 0);
        }
        TlsSessionTicketListener listener = options.onSessionTicket();
        if (listener != null) {
            S2n.setSessionTicketListener(handle, (received, lifetimeSeconds) ->
                    listener.onSessionTicket(new TlsSessionTicket(received, Instant.now().plusSeconds(lifetimeSeconds))));
        }
    }

    MemorySegment handle() {
        return handle;
    }

    boolean client() {
        return client;
    }

    /** What the handshake agreed; call once s2n reports it negotiated. */
    TlsNegotiation negotiated() {
        TlsVersion version = TlsVersion.fromS2n(S2n.protocolVersion(handle));
        List<X509Certificate> chain = verifiedChain;
        return new TlsNegotiation(version, CipherSuites.name(S2n.cipherSuiteCode(handle), S2n.cipherName(handle)),
                S2n.keyExchangeGroup(handle), S2n.applicationProtocol(handle), S2n.serverName(handle),
                chain != null ? chain : certificates(S2n.peerCertificates(handle)), S2n.handshakeTypeName(handle),
                S2n.isSessionResumed(handle), null);
    }

    /**
     * Frees what only the handshake needed, once it succeeded and {@link #negotiated()} was read:
     * idle connections are many.
     */
    void handshakeFinished() {
        S2n.connectionFreeHandshake(handle);
        CertificateRequiredAlert.forget(handle);
        S2n.setCertificateCheck(handle, null);
        S2n.setClientHelloCheck(handle, null);
        verifiedChain = null;
        options = null;
        helloChoice = null;
    }

    /** Why this side refused the peer (its verifier, or its hello choice), or null if it did not. */
    String refusal() {
        return refusal;
    }

    /** {@code message} as the reason, with s2n's error and the peer's alert when there is one. */
    TlsFailure failure(IoError error, S2nError s2nError, String message) {
        return new TlsFailure(error, s2nError == null ? null : s2nError.name(), message, alertOf(s2nError));
    }

    private int alertOf(S2nError error) {
        return error != null && error.type() == S2n.ERR_T_ALERT ? S2n.alert(handle) : -1;
    }

    // ---- the peer verifier ----

    private boolean judge(List<byte[]> chain) {
        try {
            List<X509Certificate> parsed = certificates(chain);
            options.peerVerifier().verify(parsed);
            verifiedChain = parsed;
            return true;
        } catch (CertificateException | RuntimeException e) {
            refusal = "the peer's certificate was refused: " + (e.getMessage() != null ? e.getMessage() : e);
            return false;
        }
    }

    // ---- the server's choice at the client's hello ----

    private S2nClientHelloCheck.Answer answerHello() {
        try {
            String serverName = S2n.serverName(handle);
            ClientHelloChoice.ServerAnswer answer = helloChoice.choose(serverName, S2n.offeredProtocols(handle));
            if (answer.refusal() != null) {
                refusal = answer.refusal();
                return S2nClientHelloCheck.Answer.REFUSE;
            }
            boolean byName = false;
            TlsContext other = answer.context();
            if (other != null && other != context) {
                if (!other.acquire()) {
                    refusal = "the chosen TLS context is closed";
                    return S2nClientHelloCheck.Answer.REFUSE;
                }
                chosenContext = other;
                if (S2n.connectionSetConfig(handle, other.config()) != 0) {
                    refusal = "the chosen TLS context was refused: " + S2n.lastError();
                    return S2nClientHelloCheck.Answer.REFUSE;
                }
                byName = serverName != null;
            }
            if (answer.alpn() != null && S2n.connectionSetProtocolPreferences(handle, answer.alpn()) != 0) {
                refusal = "the chosen ALPN protocols were refused: " + S2n.lastError();
                return S2nClientHelloCheck.Answer.REFUSE;
            }
            return byName ? S2nClientHelloCheck.Answer.CHOSE_BY_SERVER_NAME : S2nClientHelloCheck.Answer.CONTINUE;
        } catch (RuntimeException e) {
            refusal = "the server's choice for the client's hello failed: " + e;
            return S2nClientHelloCheck.Answer.REFUSE;
        }
    }

    private static List<X509Certificate> certificates(List<byte[]> der) {
        if (der.isEmpty()) {
            return List.of();
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> chain = new ArrayList<>(der.size());
            for (byte[] certificate : der) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(certificate)));
            }
            return chain;
        } catch (CertificateException e) {
            throw new IllegalStateException("s2n verified a certificate the JDK cannot read", e);
        }
    }

    /** Frees the connection and gives up the context; nothing may use it after. */
    void free() {
        CertificateRequiredAlert.forget(handle);
        S2n.setSessionTicketListener(handle, null);
        S2n.setCertificateCheck(handle, null);
        S2n.setClientHelloCheck(handle, null);
        S2n.connectionFree(handle);
        S2n.releaseIo(io);
        context.release();
        TlsContext chosen = chosenContext;
        if (chosen != null) {
            chosen.release();
        }
    }

    private static void check(int result, String what) throws IoErrorException {
        if (result != 0) {
            throw new IoErrorException(IoError.TLS_CTX_ERROR, "TLS connection setup failed (" + what + "): " + S2n.lastError());
        }
    }
}
