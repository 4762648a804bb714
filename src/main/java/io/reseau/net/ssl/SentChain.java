package io.reseau.net.ssl;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A peer's chain as JSSE reports it: as the peer sent it. s2n reports the chain it validated,
 * which ends at the trust anchor it found, while a peer sends its chain without the root (RFC 8446
 * 4.4.2 lets it omit it); a self-issued last certificate of a longer chain is that anchor.
 */
final class SentChain {
    private SentChain() {}

    static List<X509Certificate> of(List<X509Certificate> validated) {
        if (validated.size() < 2) {
            return validated;
        }
        X509Certificate last = validated.getLast();
        if (last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            return validated.subList(0, validated.size() - 1);
        }
        return validated;
    }
}
