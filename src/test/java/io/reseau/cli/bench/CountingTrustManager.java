package io.reseau.cli.bench;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A client's trust manager that counts the server certificates it checks, so that scenario D can
 * tell full handshakes from resumed ones on every stack: a full TLS 1.3 handshake presents the
 * server's certificate and the client checks it, a resumed one (a pre-shared key from an earlier
 * session) presents none. The checking itself is the wrapped manager's, unchanged.
 */
public final class CountingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager checker;
    private final AtomicLong serverChecks = new AtomicLong();

    private CountingTrustManager(X509ExtendedTrustManager checker) {
        this.checker = checker;
    }

    /** Counts around the first X509 trust manager of {@code managers}, as JSSE would pick it. */
    public static CountingTrustManager around(TrustManager[] managers) {
        for (TrustManager manager : managers) {
            if (manager instanceof X509ExtendedTrustManager checker) {
                return new CountingTrustManager(checker);
            }
        }
        throw new IllegalArgumentException("no X509ExtendedTrustManager among the trust managers");
    }

    /** Server certificates accepted so far: one per full handshake. */
    public long serverChecks() {
        return serverChecks.get();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checker.checkServerTrusted(chain, authType);
        serverChecks.incrementAndGet();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checker.checkServerTrusted(chain, authType, socket);
        serverChecks.incrementAndGet();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checker.checkServerTrusted(chain, authType, engine);
        serverChecks.incrementAndGet();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checker.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checker.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checker.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return checker.getAcceptedIssuers();
    }
}
