package io.reseau.net.ssl;

import io.reseau.tls.TlsNegotiation;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSessionBindingEvent;
import javax.net.ssl.SSLSessionBindingListener;
import javax.net.ssl.SSLSessionContext;

/**
 * What one handshake agreed, as JSSE reports it: protocol and cipher suite by their JSSE / IANA
 * names, both chains, the peer's host and port. Three kinds: a negotiated session; the handshake
 * session a trust manager sees while the handshake runs (names and peer, no suite yet); and the
 * invalid session of a socket whose handshake failed or never ran ({@code SSL_NULL_WITH_NULL_NULL},
 * JSSE's). Sessions are not cached or resumed: each connection has its own.
 */
final class ReseauSSLSession extends ExtendedSSLSession {
    /** JSSE's name for "no cipher suite": the invalid session's. */
    static final String NULL_CIPHER_SUITE = "SSL_NULL_WITH_NULL_NULL";
    private static final String NO_PROTOCOL = "NONE";
    // The largest TLS record with its overhead, and the largest plaintext one carries (JSSE's sizes).
    static final int PACKET_BUFFER_SIZE = 16709;
    private static final int APPLICATION_BUFFER_SIZE = 16384;

    private final String protocol;
    private final String cipherSuite;
    private final List<X509Certificate> peerChain;
    private final List<X509Certificate> localChain;
    private final String peerHost;
    private final int peerPort;
    private final List<SNIServerName> serverNames;
    private final long creationTime = System.currentTimeMillis();
    private volatile Map<String, Object> values; // made on the first putValue: most sessions never hold one
    private volatile boolean valid;
    private volatile long lastAccessedTime = creationTime;

    private ReseauSSLSession(String protocol, String cipherSuite, List<X509Certificate> peerChain,
            List<X509Certificate> localChain, String peerHost, int peerPort, List<SNIServerName> serverNames, boolean valid) {
        this.protocol = protocol;
        this.cipherSuite = cipherSuite;
        this.peerChain = List.copyOf(peerChain);
        this.localChain = List.copyOf(localChain);
        this.peerHost = peerHost;
        this.peerPort = peerPort;
        this.serverNames = List.copyOf(serverNames);
        this.valid = valid;
    }

    static ReseauSSLSession negotiated(TlsNegotiation negotiation, List<X509Certificate> localChain, String peerHost,
            int peerPort, List<SNIServerName> serverNames) {
        return new ReseauSSLSession(negotiation.version().javaName(), negotiation.cipherSuite(),
                SentChain.of(negotiation.peerCertificates()), localChain, peerHost, peerPort, serverNames, true);
    }

    /** The session a trust manager asks about during the handshake: who the peer is, nothing agreed yet. */
    static ReseauSSLSession handshaking(List<X509Certificate> localChain, String peerHost, int peerPort,
            List<SNIServerName> serverNames) {
        return new ReseauSSLSession(NO_PROTOCOL, NULL_CIPHER_SUITE, List.of(), localChain, peerHost, peerPort, serverNames, true);
    }

    static ReseauSSLSession invalid(String peerHost, int peerPort) {
        return new ReseauSSLSession(NO_PROTOCOL, NULL_CIPHER_SUITE, List.of(), List.of(), peerHost, peerPort, List.of(), false);
    }

    void touch() {
        lastAccessedTime = System.currentTimeMillis();
    }

    @Override
    public byte[] getId() {
        return new byte[0]; // sessions are never resumed, so none has an identity to resume by
    }

    @Override
    public SSLSessionContext getSessionContext() {
        return null;
    }

    @Override
    public long getCreationTime() {
        return creationTime;
    }

    @Override
    public long getLastAccessedTime() {
        return lastAccessedTime;
    }

    @Override
    public void invalidate() {
        valid = false;
    }

    @Override
    public boolean isValid() {
        return valid;
    }

    @Override
    public void putValue(String name, Object value) {
        if (name == null || value == null) {
            throw new IllegalArgumentException("arguments can not be null");
        }
        Object old = valuesForWriting().put(name, value);
        if (old instanceof SSLSessionBindingListener listener) {
            listener.valueUnbound(new SSLSessionBindingEvent(this, name));
        }
        if (value instanceof SSLSessionBindingListener listener) {
            listener.valueBound(new SSLSessionBindingEvent(this, name));
        }
    }

    @Override
    public Object getValue(String name) {
        if (name == null) {
            throw new IllegalArgumentException("argument can not be null");
        }
        Map<String, Object> current = values;
        return current == null ? null : current.get(name);
    }

    @Override
    public void removeValue(String name) {
        if (name == null) {
            throw new IllegalArgumentException("argument can not be null");
        }
        Map<String, Object> current = values;
        Object old = current == null ? null : current.remove(name);
        if (old instanceof SSLSessionBindingListener listener) {
            listener.valueUnbound(new SSLSessionBindingEvent(this, name));
        }
    }

    @Override
    public String[] getValueNames() {
        Map<String, Object> current = values;
        return current == null ? new String[0] : current.keySet().toArray(String[]::new);
    }

    private Map<String, Object> valuesForWriting() {
        Map<String, Object> current = values;
        if (current == null) {
            synchronized (this) {
                current = values;
                if (current == null) {
                    current = new ConcurrentHashMap<>();
                    values = current;
                }
            }
        }
        return current;
    }

    @Override
    public Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
        if (peerChain.isEmpty()) {
            throw new SSLPeerUnverifiedException("peer not authenticated");
        }
        return peerChain.toArray(X509Certificate[]::new); // JSSE's run-time type: callers cast it
    }

    @Override
    public Certificate[] getLocalCertificates() {
        return localChain.isEmpty() ? null : localChain.toArray(X509Certificate[]::new);
    }

    @Override
    @SuppressWarnings("removal")
    public javax.security.cert.X509Certificate[] getPeerCertificateChain() throws SSLPeerUnverifiedException {
        throw new UnsupportedOperationException("This method is deprecated and marked for removal. Use the getPeerCertificates() method instead.");
    }

    @Override
    public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
        if (peerChain.isEmpty()) {
            throw new SSLPeerUnverifiedException("peer not authenticated");
        }
        return peerChain.getFirst().getSubjectX500Principal();
    }

    @Override
    public Principal getLocalPrincipal() {
        return localChain.isEmpty() ? null : localChain.getFirst().getSubjectX500Principal();
    }

    @Override
    public String getCipherSuite() {
        return cipherSuite;
    }

    @Override
    public String getProtocol() {
        return protocol;
    }

    @Override
    public String getPeerHost() {
        return peerHost;
    }

    @Override
    public int getPeerPort() {
        return peerPort;
    }

    @Override
    public int getPacketBufferSize() {
        return PACKET_BUFFER_SIZE;
    }

    @Override
    public int getApplicationBufferSize() {
        return APPLICATION_BUFFER_SIZE;
    }

    @Override
    public String[] getLocalSupportedSignatureAlgorithms() {
        return new String[0];
    }

    @Override
    public String[] getPeerSupportedSignatureAlgorithms() {
        return new String[0];
    }

    @Override
    public List<SNIServerName> getRequestedServerNames() {
        return serverNames;
    }

    @Override
    public List<byte[]> getStatusResponses() {
        return List.of(); // no OCSP stapling: trust managers that check revocation fetch it themselves
    }

    @Override
    public String toString() {
        return "Session(" + creationTime + "|" + cipherSuite + ")";
    }
}
