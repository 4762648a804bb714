package io.reseau.net.ssl;

import io.reseau.tls.TlsPeerVerifier;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A socket's peer judged by its SSLContext's {@link X509TrustManager}, as JSSE asks it: an
 * {@link X509ExtendedTrustManager} gets the socket, so it applies the socket's endpoint
 * identification ("HTTPS") against the peer host and SNI name of its handshake session.
 *
 * <p>TLS 1.3 fixes no key exchange algorithm in its suites, so a server's chain is checked with
 * JSSE's "UNKNOWN" authentication type, for both versions; a client's with its key's algorithm.
 */
final class JavaPeerCheck implements TlsPeerVerifier {
    private static final String ANY_KEY_EXCHANGE = "UNKNOWN";

    private final X509TrustManager trustManager;
    private final ReseauSSLSocket socket;

    JavaPeerCheck(X509TrustManager trustManager, ReseauSSLSocket socket) {
        this.trustManager = trustManager;
        this.socket = socket;
    }

    @Override
    public void verify(List<X509Certificate> chain) throws CertificateException {
        X509Certificate[] certificates = chain.toArray(X509Certificate[]::new);
        if (socket.getUseClientMode()) {
            if (trustManager instanceof X509ExtendedTrustManager extended) {
                extended.checkServerTrusted(certificates, ANY_KEY_EXCHANGE, socket);
            } else {
                trustManager.checkServerTrusted(certificates, ANY_KEY_EXCHANGE);
            }
            return;
        }
        if (certificates.length == 0) {
            throw new CertificateException("the client sent no certificate");
        }
        String keyType = certificates[0].getPublicKey().getAlgorithm();
        if (trustManager instanceof X509ExtendedTrustManager extended) {
            extended.checkClientTrusted(certificates, keyType, socket);
        } else {
            trustManager.checkClientTrusted(certificates, keyType);
        }
    }
}
