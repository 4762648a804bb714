package io.reseau.net.ssl;

import io.reseau.tls.TlsSessionTickets;
import io.reseau.tls.TlsTicketKey;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The session ticket keys of one SSLContext's servers, kept across its initialisations (as JSSE
 * keeps its own), generated here (random, never leaving the process) and rotated on use, with no
 * thread of its own: a new key every hour, as JSSE rotates its own
 * ({@code jdk.tls.server.statelessKeyTimeout}'s default). A key encrypts the tickets of its hour,
 * then only decrypts them for as long as a ticket is good for: the server session context's
 * timeout (JSSE's default 24 h; 7 days at most, TLS 1.3's ceiling, also when the timeout is zero,
 * "no limit"). Past that it is dropped. s2n holds at most 48 keys per config, so a lifetime longer
 * than 40 hours stretches the rotation to a fortieth of it.
 *
 * <p>Each change (a rotation, a new timeout) makes a new {@link Keys} generation, and the server
 * contexts built on the old one are built again: s2n's configs are not changed once in use. A key
 * dropped is destroyed at once (its secret zeroed), so contexts are built {@link #withCurrent}, under
 * the ring's lock, never from keys another thread is dropping.
 */
final class TicketKeyRing {
    static final Duration ROTATION = Duration.ofHours(1);
    static final Duration LONGEST_LIFETIME = Duration.ofDays(7);
    private static final int MOST_KEYS_PER_LIFETIME = 40;

    /** The keys of one generation, and when the next is due. */
    record Keys(TlsSessionTickets tickets, long generation, Instant nextRotation, int timeoutSeconds) {}

    /** Builds something (a server context) from the keys of the moment. */
    interface Build<T> {
        T from(Keys keys) throws SSLException;
    }

    private final InstantSource clock;
    private final ServerSessionContext sessions;
    private volatile Keys current; // replaced under this

    TicketKeyRing(ServerSessionContext sessions) {
        this(sessions, InstantSource.system());
    }

    TicketKeyRing(ServerSessionContext sessions, InstantSource clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    /** The keys to build a server context with now, rotated first if due: to see whether one built is current. */
    Keys current() {
        Keys keys = current;
        if (keys != null && clock.instant().isBefore(keys.nextRotation()) && keys.timeoutSeconds() == sessions.getSessionTimeout()) {
            return keys;
        }
        return renew();
    }

    /** What {@code build} makes of the current keys, which stay whole meanwhile. */
    synchronized <T> T withCurrent(Build<T> build) throws SSLException {
        return build.from(current());
    }

    private synchronized Keys renew() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS); // s2n counts a key's times in seconds
        int timeout = sessions.getSessionTimeout();
        Keys previous = current;
        if (previous != null && now.isBefore(previous.nextRotation()) && previous.timeoutSeconds() == timeout) {
            return previous; // another thread renewed them
        }
        Duration lifetime = timeout == 0 || timeout > LONGEST_LIFETIME.toSeconds() ? LONGEST_LIFETIME : Duration.ofSeconds(timeout);
        Duration rotation = lifetime.dividedBy(MOST_KEYS_PER_LIFETIME).compareTo(ROTATION) > 0
                ? lifetime.dividedBy(MOST_KEYS_PER_LIFETIME) : ROTATION;
        List<TlsTicketKey> keys = new ArrayList<>();
        Instant newest = null;
        if (previous != null) {
            for (TlsTicketKey key : previous.tickets().keys()) {
                if (now.isBefore(key.introduced().plus(rotation).plus(lifetime))) {
                    keys.add(key);
                } else {
                    key.destroy();
                }
            }
            newest = previous.tickets().keys().getLast().introduced();
        }
        if (newest == null || !now.isBefore(newest.plus(rotation))) {
            newest = now;
            keys.add(TlsTicketKey.generate(now));
        }
        // Renewed again when a new key is due, or when the oldest stops decrypting (s2n would ignore it).
        Instant due = newest.plus(rotation);
        Instant oldestGone = keys.getFirst().introduced().plus(rotation).plus(lifetime);
        Keys renewed = new Keys(TlsSessionTickets.issued(keys, rotation, lifetime), previous == null ? 1 : previous.generation() + 1,
                oldestGone.isBefore(due) ? oldestGone : due, timeout);
        current = renewed;
        return renewed;
    }
}
