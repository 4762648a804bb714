package io.reseau.tls;

/** Told once when a connection's handshake ends, on the connection's event loop. */
@FunctionalInterface
public interface TlsNegotiationListener {
    void onNegotiation(TlsChannelHandler handler, TlsNegotiation negotiation);
}
