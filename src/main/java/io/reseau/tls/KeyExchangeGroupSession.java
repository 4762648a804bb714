package io.reseau.tls;

/**
 * What the {@link javax.net.ssl.SSLSession}s of the Reseau provider's sockets and engines report
 * beyond JSSE's API, which names no key-exchange group: {@code if (session instanceof
 * KeyExchangeGroupSession s) s.keyExchangeGroup()}, as {@code openssl s_client} prints it.
 */
public interface KeyExchangeGroupSession {
    /**
     * The group the handshake's keys came from, by s2n's name ({@code x25519}, {@code secp256r1},
     * {@code X25519MLKEM768}); null while the handshake runs, when it failed, or when the key
     * exchange used no group (TLS 1.2's RSA key exchange).
     */
    String keyExchangeGroup();
}
