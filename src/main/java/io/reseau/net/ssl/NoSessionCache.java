package io.reseau.net.ssl;

import java.util.Collections;
import java.util.Enumeration;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * The session context of a provider that does not resume sessions: always empty. Clients that
 * tune their SSLContext's cache (timeouts, sizes) can still call it; the values are kept and
 * reported, and change nothing.
 */
final class NoSessionCache implements SSLSessionContext {
    static final NoSessionCache INSTANCE = new NoSessionCache();

    private volatile int timeoutSeconds = 86400;
    private volatile int size = 20480;

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
