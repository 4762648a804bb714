package io.reseau.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A connection's own verdict on its peer's certificates (a Java {@code X509TrustManager} with
 * endpoint identification, say), asked during the handshake once s2n has verified the chain
 * against the context's trust roots. Throwing refuses the peer: the handshake fails with an alert,
 * and the exception's message is kept as the reason. Runs on the connection's event loop.
 */
@FunctionalInterface
public interface TlsPeerVerifier {
    /** @param chain the peer's certificates, leaf first */
    void verify(List<X509Certificate> chain) throws CertificateException;
}
