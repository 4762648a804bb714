package io.reseau.internal.ffi;

/**
 * Where a client connection's session tickets go as they arrive (s2n's session ticket callback):
 * inside {@code s2n_negotiate} for TLS 1.2, inside {@code s2n_recv} for TLS 1.3 (its tickets come
 * after the handshake), on the thread making that call. It must return at once, without blocking
 * or parking.
 */
@FunctionalInterface
public interface S2nSessionTicket {
    /**
     * @param session s2n's serialized session, ticket included: what {@code s2n_connection_set_session} resumes from
     * @param lifetimeSeconds how long the server says the ticket is good for
     */
    void received(byte[] session, long lifetimeSeconds);
}
