package io.reseau.tls;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * A session a client can resume (give it to {@link TlsConnectionOptions#withSessionTicket}): the
 * server's ticket with what s2n keeps beside it (the session's secret, suite and version), as a
 * connection received it. Opaque: it holds a secret, so it is never shown, and {@link #destroy()}
 * zeroes it once nothing is to resume from it (a connection offering it then resumes nothing).
 */
public final class TlsSessionTicket implements Destroyable {
    private byte[] session; // guarded by this; null once destroyed
    private final Instant expires;

    TlsSessionTicket(byte[] session, Instant expires) {
        this.session = Objects.requireNonNull(session, "session");
        this.expires = Objects.requireNonNull(expires, "expires");
    }

    /** When the server stops resuming from it, by the lifetime it gave. */
    public Instant expires() {
        return expires;
    }

    /** A copy of s2n's serialized session, for {@code s2n_connection_set_session}; null once destroyed. */
    synchronized byte[] session() {
        return session == null ? null : session.clone();
    }

    /** Zeroes the session's secret; a copy being taken at the same time is taken whole first. */
    @Override
    public synchronized void destroy() {
        if (session != null) {
            Arrays.fill(session, (byte) 0);
            session = null;
        }
    }

    @Override
    public synchronized boolean isDestroyed() {
        return session == null;
    }

    @Override
    public synchronized String toString() {
        return "TlsSessionTicket[" + (session == null ? "destroyed" : session.length + " bytes") + ", until " + expires + "]";
    }
}
