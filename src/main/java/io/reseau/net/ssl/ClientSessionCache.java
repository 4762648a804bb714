package io.reseau.net.ssl;

import io.reseau.tls.TlsSessionTicket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * A client's session cache, as JSSE keeps it: the session last resumable with each peer host and
 * port, with the server's ticket to resume it by. A TLS 1.3 ticket is used once (RFC 8446 C.4; JSSE
 * removes it as it offers it), and the resumed connection's own tickets replace it; a TLS 1.2
 * session stays, and its resumptions report the same session. A session is resumed only for the
 * same protocol enabled, the same server names asked for, and, when the connection identifies its
 * endpoint, the same identification algorithm (JSSE's checks).
 *
 * <p>Limits as JSSE's, zero meaning none: {@link #setSessionTimeout} counts from the session's first
 * full handshake (so a chain of TLS 1.3 resumptions ends too), {@link #setSessionCacheSize} drops
 * the peers used longest ago. A session's {@link SSLSession#invalidate()} removes it, and the
 * tickets that came after it, from the cache. Each new entry first drops the stale ones at the
 * least recently used end, so a cache without a size limit does not keep the expired sessions of
 * peers it no longer meets. A ticket that leaves the cache is destroyed (its secret zeroed), unless
 * a TLS 1.3 handshake took it, which destroys it once done.
 */
final class ClientSessionCache implements SSLSessionContext {
    private static final String TLS13 = "TLSv1.3";

    /** A session to resume, the ticket that resumes it, and the endpoint identification it was checked with. */
    record Entry(ReseauSSLSession session, TlsSessionTicket ticket, String identification) {}

    private final Map<String, Entry> byPeer = new LinkedHashMap<>(16, 0.75f, true); // most recently used last
    private int timeoutSeconds = ServerSessionContext.DEFAULT_TIMEOUT_SECONDS; // guarded by this
    private int size = ServerSessionContext.DEFAULT_SIZE; // guarded by this

    /** The key of a peer: JSSE's, the host in lower case and the port. */
    static String peer(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    /**
     * The session to offer {@code peer}, or null: one still good, made under the same conditions.
     * A TLS 1.3 session leaves the cache as it is offered.
     */
    synchronized Entry take(String peer, Collection<String> protocols, List<SNIServerName> serverNames, String identification) {
        Entry entry = byPeer.get(peer);
        if (entry == null) {
            return null;
        }
        if (!usable(entry, System.currentTimeMillis())) {
            drop(byPeer.remove(peer));
            return null;
        }
        ReseauSSLSession session = entry.session();
        if (!protocols.contains(session.getProtocol()) || !serverNames.equals(session.getRequestedServerNames())
                || (identification != null && !identification.equalsIgnoreCase(entry.identification()))) {
            return null;
        }
        if (TLS13.equals(session.getProtocol())) {
            byPeer.remove(peer);
        }
        return entry;
    }

    /** Keeps {@code entry} as its peer's session, replacing any other. */
    synchronized void put(Entry entry) {
        expungeStale(System.currentTimeMillis());
        ReseauSSLSession session = entry.session();
        Entry replaced = byPeer.put(peer(session.getPeerHost(), session.getPeerPort()), entry);
        if (replaced != null && replaced != entry) {
            drop(replaced);
        }
        trim();
    }

    /** Drops {@code entry}, if it is still its peer's: the server declined it. */
    synchronized void remove(Entry entry) {
        ReseauSSLSession session = entry.session();
        if (byPeer.remove(peer(session.getPeerHost(), session.getPeerPort()), entry)) {
            drop(entry);
        }
    }

    /** Drops the peer's session if it is {@code invalidated} or came from it (its tickets' sessions). */
    synchronized void forget(ReseauSSLSession invalidated) {
        if (invalidated.getPeerHost() == null) {
            return;
        }
        String peer = peer(invalidated.getPeerHost(), invalidated.getPeerPort());
        Entry entry = byPeer.get(peer);
        if (entry != null && entry.session().sameLineage(invalidated)) {
            drop(byPeer.remove(peer));
        }
    }

    private boolean usable(Entry entry, long now) {
        ReseauSSLSession session = entry.session();
        return session.resumable() && entry.ticket().expires().isAfter(Instant.ofEpochMilli(now))
                && (timeoutSeconds == 0 || now < session.getCreationTime() + timeoutSeconds * 1000L);
    }

    /** Drops the entries used longest ago while they are stale. */
    private void expungeStale(long now) {
        Iterator<Entry> eldestFirst = byPeer.values().iterator();
        while (eldestFirst.hasNext()) {
            Entry entry = eldestFirst.next();
            if (usable(entry, now)) {
                return;
            }
            eldestFirst.remove();
            drop(entry);
        }
    }

    private void trim() {
        Iterator<Entry> eldestFirst = byPeer.values().iterator();
        while (size > 0 && byPeer.size() > size) {
            Entry eldest = eldestFirst.next();
            eldestFirst.remove();
            drop(eldest);
        }
    }

    private static void drop(Entry entry) {
        entry.ticket().destroy();
    }

    @Override
    public synchronized SSLSession getSession(byte[] sessionId) {
        if (sessionId == null) {
            throw new NullPointerException("session id cannot be null");
        }
        long now = System.currentTimeMillis();
        for (Entry entry : byPeer.values()) {
            if (Arrays.equals(entry.session().id(), sessionId) && usable(entry, now)) {
                return entry.session();
            }
        }
        return null;
    }

    @Override
    public synchronized Enumeration<byte[]> getIds() {
        long now = System.currentTimeMillis();
        List<byte[]> ids = new ArrayList<>(byPeer.size());
        for (Entry entry : byPeer.values()) {
            if (usable(entry, now)) {
                ids.add(entry.session().getId());
            }
        }
        return Collections.enumeration(ids);
    }

    @Override
    public synchronized void setSessionTimeout(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("timeout cannot be negative: " + seconds);
        }
        timeoutSeconds = seconds;
    }

    @Override
    public synchronized int getSessionTimeout() {
        return timeoutSeconds;
    }

    @Override
    public synchronized void setSessionCacheSize(int entries) {
        if (entries < 0) {
            throw new IllegalArgumentException("size cannot be negative: " + entries);
        }
        size = entries;
        trim();
    }

    @Override
    public synchronized int getSessionCacheSize() {
        return size;
    }
}
