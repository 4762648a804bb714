package io.reseau.tls;

/** Whether a server asks its clients for certificates (mutual TLS). */
public enum ClientAuth {
    /** No client certificate is asked for. */
    NONE,
    /** Asked for; a client without one still connects. */
    OPTIONAL,
    /** Asked for and required: a client without a trusted certificate fails the handshake. */
    REQUIRED
}
