package io.reseau.tls;

/**
 * Told of each session ticket a client connection receives: during its handshake in TLS 1.2, after
 * it in TLS 1.3 (a server may send several, at any time). It runs on the thread driving the
 * connection (an event loop, or the caller of {@link TlsConnection}) inside s2n: it must return at
 * once, without blocking.
 */
@FunctionalInterface
public interface TlsSessionTicketListener {
    void onSessionTicket(TlsSessionTicket ticket);
}
