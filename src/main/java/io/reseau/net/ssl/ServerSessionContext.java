package io.reseau.net.ssl;

import java.util.Collections;
import java.util.Enumeration;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * A server's session context. Reseau servers keep no sessions: they resume from stateless tickets
 * (what JSSE servers do by default too), so the context holds none to list or look up. Its timeout
 * is what tickets are good for ({@link TicketKeyRing}); its size is kept and reported, and changes
 * nothing. Defaults as JSSE's: 86400 s, 20480 sessions; zero means no limit.
 */
final class ServerSessionContext implements SSLSessionContext {
    static final int DEFAULT_TIMEOUT_SECONDS = 86400;
    static final int DEFAULT_SIZE = 20480;

    private volatile int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    private volatile int size = DEFAULT_SIZE;

    @Override
    public SSLSession getSession(byte[] sessionId) {
        if (sessionId == null) {
            throw new NullPointerException("session id cannot be null");
        }
        return null;
    }

    @Override
    public Enumeration<byte[]> getIds() {
        return Collections.emptyEnumeration();
    }

    @Override
    public void setSessionTimeout(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("timeout cannot be negative: " + seconds);
        }
        timeoutSeconds = seconds;
    }

    @Override
    public int getSessionTimeout() {
        return timeoutSeconds;
    }

    @Override
    public void setSessionCacheSize(int entries) {
        if (entries < 0) {
            throw new IllegalArgumentException("size cannot be negative: " + entries);
        }
        size = entries;
    }

    @Override
    public int getSessionCacheSize() {
        return size;
    }
}
