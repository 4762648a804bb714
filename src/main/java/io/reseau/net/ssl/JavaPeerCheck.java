package io.reseau.net.ssl;

import io.reseau.tls.TlsPeerVerifier;
import java.lang.ref.WeakReference;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A socket's or an engine's peer judged by its SSLContext's {@link X509TrustManager}, as JSSE asks
 * it: an {@link X509ExtendedTrustManager} gets the socket or the engine, so it applies their
 * endpoint identification ("HTTPS") against the peer host and SNI name of their handshake session.
 *
 * <p>TLS 1.3 fixes no key exchange algorithm in its suites, so a server's chain is checked with
 * JSSE's "UNKNOWN" authentication type, for both versions; a client's with its key's algorithm.
 *
 * <p>The engine is held weakly: s2n keeps the check of a connection until its handshake ends, and
 * an engine dropped during its handshake must stay collectable (its native connection is freed then).
 */
final class JavaPeerCheck implements TlsPeerVerifier {
    private static final String ANY_KEY_EXCHANGE = "UNKNOWN";

    private final X509TrustManager trustManager;
    private final SSLSocket socket; // one of the two
    private final WeakReference<SSLEngine> engine;

    private JavaPeerCheck(X509TrustManager trustManager, SSLSocket socket, SSLEngine engine) {
        this.trustManager = trustManager;
        this.socket = socket;
        this.engine = engine == null ? null : new WeakReference<>(engine);
    }

    static JavaPeerCheck of(X509TrustManager trustManager, SSLSocket socket) {
        return new JavaPeerCheck(trustManager, socket, null);
    }

    static JavaPeerCheck of(X509TrustManager trustManager, SSLEngine engine) {
        return new JavaPeerCheck(trustManager, null, engine);
    }

    @Override
    public void verify(List<X509Certificate> chain) throws CertificateException {
        X509Certificate[] certificates = SentChain.of(chain).toArray(X509Certificate[]::new);
        SSLEngine byEngine = engine == null ? null : engine.get();
        if (socket == null && byEngine == null) {
            throw new CertificateException("the engine is gone");
        }
        boolean client = socket != null ? socket.getUseClientMode() : byEngine.getUseClientMode();
        if (client) {
            if (trustManager instanceof X509ExtendedTrustManager extended) {
                if (socket != null) {
                    extended.checkServerTrusted(certificates, ANY_KEY_EXCHANGE, socket);
                } else {
                    extended.checkServerTrusted(certificates, ANY_KEY_EXCHANGE, byEngine);
                }
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
            if (socket != null) {
                extended.checkClientTrusted(certificates, keyType, socket);
            } else {
                extended.checkClientTrusted(certificates, keyType, byEngine);
            }
        } else {
            trustManager.checkClientTrusted(certificates, keyType);
        }
    }
}
