package io.reseau.net.ssl;

import io.reseau.tls.KeyExchangeGroupSession;
import io.reseau.tls.TlsNegotiation;
import java.security.Principal;
import java.security.SecureRandom;
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
 * JSSE's).
 *
 * <p>A negotiated session has a random 32-byte id, as JSSE's TLS 1.3 sessions have. A client
 * resumes a session from its {@link ClientSessionCache}, as JSSE does: a TLS 1.2 connection that
 * resumes reports the very session it resumed (its id, creation time and values); in TLS 1.3 each
 * ticket makes a {@link #successor} (a new id), which the connection resuming from that ticket
 * reports. A server keeps no sessions: each of its connections has its own.
 */
final class ReseauSSLSession extends ExtendedSSLSession implements KeyExchangeGroupSession {
    /** JSSE's name for "no cipher suite": the invalid session's. */
    static final String NULL_CIPHER_SUITE = "SSL_NULL_WITH_NULL_NULL";
    private static final String NO_PROTOCOL = "NONE";
    // The largest TLS record with its overhead, and the largest plaintext one carries (JSSE's sizes).
    static final int PACKET_BUFFER_SIZE = 16709;
    private static final int APPLICATION_BUFFER_SIZE = 16384;

    private static final SecureRandom IDS = new SecureRandom();
    private static final int ID_LENGTH = 32;
    private static final byte[] NO_ID = new byte[0];

    /**
     * What a session and its successors share, the secret of one full handshake: invalidating any
     * of them stops the resumption of all, including successors of tickets that arrive later.
     */
    private static final class Lineage {
        volatile boolean invalidated;
    }

    private final byte[] id;
    private final Lineage lineage; // null for the handshaking and invalid ones
    private final SSLSessionContext context; // null for the handshaking and invalid ones
    private final String protocol;
    private final String cipherSuite;
    private final String keyExchangeGroup; // null for the handshaking and invalid ones
    private final List<X509Certificate> peerChain;
    private final List<X509Certificate> localChain;
    private final String peerHost;
    private final int peerPort;
    private final List<SNIServerName> serverNames;
    private final long creationTime;
    private volatile Map<String, Object> values; // made on the first putValue: most sessions never hold one
    private volatile boolean valid;
    private volatile long lastAccessedTime;

    private ReseauSSLSession(byte[] id, Lineage lineage, SSLSessionContext context, long creationTime, String protocol,
            String cipherSuite, String keyExchangeGroup, List<X509Certificate> peerChain, List<X509Certificate> localChain,
            String peerHost, int peerPort, List<SNIServerName> serverNames, boolean valid) {
        this.id = id;
        this.lineage = lineage;
        this.context = context;
        this.creationTime = creationTime;
        this.lastAccessedTime = creationTime;
        this.protocol = protocol;
        this.cipherSuite = cipherSuite;
        this.keyExchangeGroup = keyExchangeGroup;
        this.peerChain = List.copyOf(peerChain);
        this.localChain = List.copyOf(localChain);
        this.peerHost = peerHost;
        this.peerPort = peerPort;
        this.serverNames = List.copyOf(serverNames);
        this.valid = valid;
    }

    /** A full handshake's session, kept by {@code context}: the client's or the server's of the SSLContext. */
    static ReseauSSLSession negotiated(TlsNegotiation negotiation, List<X509Certificate> localChain, String peerHost,
            int peerPort, List<SNIServerName> serverNames, SSLSessionContext context) {
        return new ReseauSSLSession(newId(), new Lineage(), context, System.currentTimeMillis(), negotiation.version().javaName(),
                negotiation.cipherSuite(), negotiation.keyExchangeGroup(), SentChain.of(negotiation.peerCertificates()), localChain, peerHost, peerPort,
                serverNames, true);
    }

    /** The session a trust manager asks about during the handshake: who the peer is, nothing agreed yet. */
    static ReseauSSLSession handshaking(List<X509Certificate> localChain, String peerHost, int peerPort,
            List<SNIServerName> serverNames) {
        return new ReseauSSLSession(NO_ID, null, null, System.currentTimeMillis(), NO_PROTOCOL, NULL_CIPHER_SUITE, null, List.of(),
                localChain, peerHost, peerPort, serverNames, true);
    }

    static ReseauSSLSession invalid(String peerHost, int peerPort) {
        return new ReseauSSLSession(NO_ID, null, null, System.currentTimeMillis(), NO_PROTOCOL, NULL_CIPHER_SUITE, null, List.of(),
                List.of(), peerHost, peerPort, List.of(), false);
    }

    /**
     * The session a TLS 1.3 ticket of this one resumes, as JSSE makes it: what this one agreed and
     * its creation time (its lifetime counts from the full handshake), under a new id, with no values.
     */
    ReseauSSLSession successor() {
        return new ReseauSSLSession(newId(), lineage, context, creationTime, protocol, cipherSuite, keyExchangeGroup, peerChain,
                localChain, peerHost, peerPort, serverNames, true);
    }

    /** Whether the two come from the same full handshake (one resumed from the other's tickets). */
    boolean sameLineage(ReseauSSLSession other) {
        return lineage != null && lineage == other.lineage;
    }

    /** Whether a client may still resume it: neither it nor a session of its lineage was invalidated. */
    boolean resumable() {
        return valid && lineage != null && !lineage.invalidated;
    }

    /** The id, not copied: for the cache's look-ups. */
    byte[] id() {
        return id;
    }

    private static byte[] newId() {
        byte[] id = new byte[ID_LENGTH];
        IDS.nextBytes(id);
        return id;
    }

    void touch() {
        lastAccessedTime = System.currentTimeMillis();
    }

    @Override
    public byte[] getId() {
        return id.clone();
    }

    @Override
    public SSLSessionContext getSessionContext() {
        return context;
    }

    @Override
    public long getCreationTime() {
        return creationTime;
    }

    @Override
    public long getLastAccessedTime() {
        return lastAccessedTime;
    }

    /**
     * As JSSE: the session is no longer resumed, nor are the sessions of its tickets (which keep
     * reporting themselves valid: they are not tracked one by one).
     */
    @Override
    public void invalidate() {
        valid = false;
        if (lineage != null) {
            lineage.invalidated = true;
        }
        if (context instanceof ClientSessionCache cache) {
            cache.forget(this);
        }
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

    /** The group of the full handshake that made the session (a resumed one reports its original's). */
    @Override
    public String keyExchangeGroup() {
        return keyExchangeGroup;
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
