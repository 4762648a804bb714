package io.reseau.tls;

/** Which end of the handshake a context serves. */
public enum TlsMode {
    CLIENT,
    SERVER
}
