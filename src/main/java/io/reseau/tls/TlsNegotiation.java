package io.reseau.tls;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * How a handshake ended: what was agreed, or why it failed ({@link #failure()} non-null).
 *
 * @param cipherSuite its IANA name, as JSSE reports it
 * @param keyExchangeGroup the group the keys came from ("x25519", "secp256r1", "X25519MLKEM768")
 * @param applicationProtocol the ALPN protocol, or null if none was agreed
 * @param serverName the SNI name (sent by a client, received by a server), or null
 * @param peerCertificates the peer's chain, leaf first; empty when it sent none (as in a resumed
 *     handshake: the session resumed has the chain)
 * @param handshakeType s2n's description ({@code NEGOTIATED|FULL_HANDSHAKE|...})
 * @param resumed whether the handshake resumed an earlier session from a ticket (s2n's report):
 *     abbreviated, without certificates
 */
public record TlsNegotiation(TlsVersion version, String cipherSuite, String keyExchangeGroup, String applicationProtocol,
        String serverName, List<X509Certificate> peerCertificates, String handshakeType, boolean resumed, TlsFailure failure) {

    public TlsNegotiation {
        peerCertificates = List.copyOf(peerCertificates);
    }

    static TlsNegotiation failed(TlsFailure failure) {
        return new TlsNegotiation(null, null, null, null, null, List.of(), null, false, failure);
    }

    public boolean succeeded() {
        return failure == null;
    }
}
