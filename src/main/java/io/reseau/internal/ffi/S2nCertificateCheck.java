package io.reseau.internal.ffi;

import java.util.List;

/**
 * A connection's own judgement of the peer's certificates, asked by s2n during the handshake (its
 * certificate validation callback), after its own checks if any. A refusal makes s2n fail the
 * handshake with an alert to the peer, as a certificate s2n itself rejected would. A check that
 * must not run inside s2n (it may block: a Java trust manager fetching revocation data) answers
 * {@link Verdict#LATER}: the handshake then reports itself blocked on the application until
 * {@link S2n#finishCertificateCheck} gives the verdict.
 */
@FunctionalInterface
public interface S2nCertificateCheck {
    enum Verdict { ACCEPT, REJECT, LATER }

    /** @param chain the peer's certificates in DER, leaf first */
    Verdict judge(List<byte[]> chain);
}
