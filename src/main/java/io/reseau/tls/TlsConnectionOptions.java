package io.reseau.tls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One connection's TLS settings (aws-c-io's {@code aws_tls_connection_options}): its context, the
 * server name it asks for and checks the certificate against (client), ALPN and timeout overrides.
 *
 * @param serverName SNI and the name the server's certificate must hold; null for none (a client
 *     that verifies peers then fails, as s2n requires a name to check)
 * @param alpn the context's ALPN list when null
 * @param negotiationTimeout the context's when null
 * @param peerVerifier required when the context leaves verification to connections
 *     ({@link TlsContextOptions#externalPeerVerification()})
 * @param onNegotiation told when the handshake ends; may be null
 * @param protocolHandlers with a bootstrap: an {@link AlpnHandler} goes after TLS, and this makes
 *     the handler for the protocol the handshake agreed (aws-c-io's {@code on_protocol_negotiated});
 *     null for none
 * @param sessionTicket a client's: the session to resume, from a ticket an earlier connection
 *     received (the server may still choose a full handshake); null for none
 * @param onSessionTicket a client's: told of each ticket it receives, when its context accepts
 *     tickets ({@link TlsSessionTickets#ACCEPTED}); null drops them
 */
public record TlsConnectionOptions(TlsContext context, String serverName, List<String> alpn, Duration negotiationTimeout,
        TlsPeerVerifier peerVerifier, TlsNegotiationListener onNegotiation, AlpnHandler.ProtocolHandlerFactory protocolHandlers,
        TlsSessionTicket sessionTicket, TlsSessionTicketListener onSessionTicket) {

    public TlsConnectionOptions {
        Objects.requireNonNull(context, "context");
        alpn = alpn == null ? null : List.copyOf(alpn);
        if (negotiationTimeout != null && negotiationTimeout.isNegative()) {
            throw new IllegalArgumentException("negotiationTimeout cannot be negative: " + negotiationTimeout);
        }
        if (serverName != null && serverName.isBlank()) {
            throw new IllegalArgumentException("a server name cannot be blank");
        }
    }

    public static TlsConnectionOptions of(TlsContext context) {
        return new TlsConnectionOptions(context, null, null, null, null, null, null, null, null);
    }

    public TlsConnectionOptions withServerName(String name) {
        return new TlsConnectionOptions(context, name, alpn, negotiationTimeout, peerVerifier, onNegotiation, protocolHandlers,
                sessionTicket, onSessionTicket);
    }

    public TlsConnectionOptions withAlpn(List<String> protocols) {
        return new TlsConnectionOptions(context, serverName, protocols, negotiationTimeout, peerVerifier, onNegotiation, protocolHandlers,
                sessionTicket, onSessionTicket);
    }

    public TlsConnectionOptions withNegotiationTimeout(Duration timeout) {
        return new TlsConnectionOptions(context, serverName, alpn, timeout, peerVerifier, onNegotiation, protocolHandlers,
                sessionTicket, onSessionTicket);
    }

    public TlsConnectionOptions withPeerVerifier(TlsPeerVerifier verifier) {
        return new TlsConnectionOptions(context, serverName, alpn, negotiationTimeout, verifier, onNegotiation, protocolHandlers,
                sessionTicket, onSessionTicket);
    }

    public TlsConnectionOptions withOnNegotiation(TlsNegotiationListener listener) {
        return new TlsConnectionOptions(context, serverName, alpn, negotiationTimeout, peerVerifier, listener, protocolHandlers,
                sessionTicket, onSessionTicket);
    }

    public TlsConnectionOptions withProtocolHandlers(AlpnHandler.ProtocolHandlerFactory factory) {
        return new TlsConnectionOptions(context, serverName, alpn, negotiationTimeout, peerVerifier, onNegotiation, factory,
                sessionTicket, onSessionTicket);
    }

    public TlsConnectionOptions withSessionTicket(TlsSessionTicket ticket) {
        return new TlsConnectionOptions(context, serverName, alpn, negotiationTimeout, peerVerifier, onNegotiation, protocolHandlers,
                ticket, onSessionTicket);
    }

    public TlsConnectionOptions withOnSessionTicket(TlsSessionTicketListener listener) {
        return new TlsConnectionOptions(context, serverName, alpn, negotiationTimeout, peerVerifier, onNegotiation, protocolHandlers,
                sessionTicket, listener);
    }

    /** The timeout that applies: this connection's, or its context's. */
    public Duration effectiveNegotiationTimeout() {
        return negotiationTimeout != null ? negotiationTimeout : context.options().negotiationTimeout();
    }
}
