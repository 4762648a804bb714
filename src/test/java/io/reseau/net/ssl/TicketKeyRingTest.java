package io.reseau.net.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.tls.TlsTicketKey;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ticket keys of an SSLContext's servers, on a clock the test turns. */
class TicketKeyRingTest {
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    /** A clock that shows what the test sets. */
    private static final class Clock implements InstantSource {
        Instant now = START;

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aNewKeyEncryptsEveryHourAndTheOldOnesDecryptForTheSessionTimeout() {
        Clock clock = new Clock();
        ServerSessionContext sessions = new ServerSessionContext();
        TicketKeyRing ring = new TicketKeyRing(sessions, clock);

        TicketKeyRing.Keys first = ring.current();
        assertThat(first.tickets().keys()).hasSize(1);
        assertThat(first.tickets().encryptFor()).isEqualTo(Duration.ofHours(1));
        assertThat(first.tickets().lifetime()).isEqualTo(Duration.ofSeconds(ServerSessionContext.DEFAULT_TIMEOUT_SECONDS));
        clock.now = START.plus(Duration.ofMinutes(59));
        assertThat(ring.current()).isSameAs(first);

        clock.now = START.plus(Duration.ofHours(1));
        TicketKeyRing.Keys second = ring.current();
        assertThat(second.generation()).isGreaterThan(first.generation());
        assertThat(introduced(second)).containsExactly(START, START.plus(Duration.ofHours(1)));

        // The first key encrypted until 01:00, and decrypts what it encrypted for 24 h more. (Unused
        // since 01:00, the ring adds its next key when next asked.)
        Instant late = START.plus(Duration.ofHours(24)).plus(Duration.ofMinutes(59));
        clock.now = late;
        assertThat(introduced(ring.current())).containsExactly(START, START.plus(Duration.ofHours(1)), late);
        TlsTicketKey firstKey = first.tickets().keys().getFirst();
        clock.now = START.plus(Duration.ofHours(25));
        assertThat(introduced(ring.current())).containsExactly(START.plus(Duration.ofHours(1)), late);
        assertThat(firstKey.isDestroyed()).as("the key dropped").isTrue();
        assertThat(ring.current().tickets().keys()).noneMatch(TlsTicketKey::isDestroyed);
    }

    @Test
    void aNewTimeoutMakesANewGenerationAndALongOneStretchesTheRotation() {
        Clock clock = new Clock();
        ServerSessionContext sessions = new ServerSessionContext();
        TicketKeyRing ring = new TicketKeyRing(sessions, clock);
        TicketKeyRing.Keys before = ring.current();

        sessions.setSessionTimeout(600);
        TicketKeyRing.Keys shorter = ring.current();
        assertThat(shorter.generation()).isGreaterThan(before.generation());
        assertThat(shorter.tickets().lifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(shorter.tickets().keys()).isEqualTo(before.tickets().keys());

        sessions.setSessionTimeout(0); // no limit: TLS 1.3's 7 days, in at most 41 keys (s2n holds 48)
        TicketKeyRing.Keys longest = ring.current();
        assertThat(longest.tickets().lifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(longest.tickets().encryptFor()).isEqualTo(Duration.ofDays(7).dividedBy(40));
    }

    private static List<Instant> introduced(TicketKeyRing.Keys keys) {
        return keys.tickets().keys().stream().map(TlsTicketKey::introduced).toList();
    }
}
