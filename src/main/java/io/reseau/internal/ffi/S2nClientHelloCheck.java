package io.reseau.internal.ffi;

/**
 * A server connection's look at the client's hello, asked by s2n once the hello is parsed and
 * before the server answers it (s2n's client hello callback): it may give the connection another
 * config (another certificate) or other ALPN preferences, on the thread driving the handshake.
 */
@FunctionalInterface
public interface S2nClientHelloCheck {
    enum Answer {
        /** Go on. */
        CONTINUE,
        /** Go on; the connection was changed for the client's server name (s2n then acknowledges SNI). */
        CHOSE_BY_SERVER_NAME,
        /** Fail the handshake (with a handshake_failure alert). */
        REFUSE
    }

    Answer onClientHello();
}
