package io.reseau.tls;

import java.time.Instant;
import java.util.Objects;

/**
 * A session a client can resume (give it to {@link TlsConnectionOptions#withSessionTicket}): the
 * server's ticket with what s2n keeps beside it (the session's secret, suite and version), as a
 * connection received it. Opaque: it holds a secret, so it is never shown.
 */
public final class TlsSessionTicket {
    private final byte[] session;
    private final Instant expires;

    TlsSessionTicket(byte[] session, Instant expires) {
        this.session = Objects.requireNonNull(session, "session");
        this.expires = Objects.requireNonNull(expires, "expires");
    }

    /** When the server stops resuming from it, by the lifetime it gave. */
    public Instant expires() {
        return expires;
    }

    /** s2n's serialized session, for {@code s2n_connection_set_session}. */
    byte[] session() {
        return session;
    }

    @Override
    public String toString() {
        return "TlsSessionTicket[" + session.length + " bytes, until " + expires + "]";
    }
}
