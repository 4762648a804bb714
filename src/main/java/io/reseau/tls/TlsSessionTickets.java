package io.reseau.tls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Session resumption through tickets (RFC 5077 for TLS 1.2, RFC 8446 4.6.1 for TLS 1.3), as a
 * context's connections do it: a client asks for tickets and hands each one it receives to its
 * connection's {@link TlsSessionTicketListener}; a server issues them, encrypted under its
 * {@link TlsTicketKey}s, and resumes the sessions in the tickets it can still decrypt. A context's
 * keys are fixed: a server rotates them by building a new context with a new key added (the ones
 * it replaces stay, to decrypt the tickets they issued).
 *
 * @param keys a server's keys (at least one, each encrypting from its intro time); empty for a client
 * @param encryptFor how long a server's key encrypts new tickets after its intro time
 * @param lifetime how long a server resumes from a ticket: a key decrypts for this long after it
 *     stops encrypting, and a session in a ticket is resumable this long after its handshake
 *     (TLS 1.3 caps a ticket's lifetime at 7 days)
 */
public record TlsSessionTickets(List<TlsTicketKey> keys, Duration encryptFor, Duration lifetime) {
    /** What a client needs: tickets asked for and handed over. */
    public static final TlsSessionTickets ACCEPTED = new TlsSessionTickets(List.of(), Duration.ZERO, Duration.ZERO);

    public TlsSessionTickets {
        keys = List.copyOf(keys);
        Objects.requireNonNull(encryptFor, "encryptFor");
        Objects.requireNonNull(lifetime, "lifetime");
        if (!keys.isEmpty() && (encryptFor.toSeconds() < 1 || lifetime.toSeconds() < 1)) {
            throw new IllegalArgumentException("a server's ticket keys encrypt and decrypt for a second at least: "
                    + encryptFor + ", " + lifetime);
        }
    }

    /** A server's tickets, under {@code keys}. */
    public static TlsSessionTickets issued(List<TlsTicketKey> keys, Duration encryptFor, Duration lifetime) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a server issues tickets under one key at least");
        }
        return new TlsSessionTickets(keys, encryptFor, lifetime);
    }

    /** Whether these are a server's (keys to issue tickets under). */
    public boolean issues() {
        return !keys.isEmpty();
    }
}
