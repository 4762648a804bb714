package io.reseau.internal.ffi;

import java.util.List;

/**
 * A connection's own judgement of the peer's certificates, asked by s2n during the handshake (its
 * certificate validation callback), after its own checks if any: returning false makes s2n fail
 * the handshake with an alert to the peer, as a certificate s2n itself rejected would.
 */
@FunctionalInterface
public interface S2nCertificateCheck {
    /** @param chain the peer's certificates in DER, leaf first */
    boolean accept(List<byte[]> chain);
}
