package io.reseau.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.common.IoErrorException;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session tickets through {@link TlsConnection}s joined in memory: a client keeps the tickets it
 * receives and resumes from one, a server resumes only from tickets under keys it still holds, and
 * s2n reports which handshakes were resumed.
 */
@Timeout(60)
class TlsResumptionTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);
    private static TestPki pki;
    private static String rootPem;
    private static TestPki.Credential server;

    @BeforeAll
    static void generatePki(@TempDir Path dir) throws Exception {
        pki = TestPki.generate(dir);
        rootPem = Files.readString(pki.rootCertificate());
        server = pki.credential(Kind.SERVER_EC256);
    }

    /** Policies: TLS 1.3 preferred, and TLS 1.2 only. */
    @ParameterizedTest
    @ValueSource(strings = {"20240503", "20240501"})
    void aClientResumesFromItsTicketAndBothSidesSaySo(String policy) throws Exception {
        TlsTicketKey key = TlsTicketKey.generate(Instant.now());
        try (TlsContext client = clientContext(policy); TlsContext issuing = serverContext(List.of(key))) {
            Handshake full = Handshake.run(client, issuing, null);
            assertThat(full.client.resumed()).isFalse();
            assertThat(full.client.peerCertificates()).isNotEmpty();
            assertThat(full.tickets).as("tickets received").isNotEmpty();

            Handshake resumed = Handshake.run(client, issuing, full.tickets.getLast());
            assertThat(resumed.client.resumed()).isTrue();
            assertThat(resumed.server.resumed()).isTrue();
            assertThat(resumed.client.peerCertificates()).as("no certificate in a resumed handshake").isEmpty();
            assertThat(resumed.client.version()).isEqualTo(full.client.version());
            assertThat(resumed.client.applicationProtocol()).isEqualTo("h2");
        }
    }

    @Test
    void aServerBuiltAgainWithANewKeyStillResumesTheTicketsOfTheOldOneUntilItIsGone() throws Exception {
        Instant now = Instant.now();
        TlsTicketKey old = TlsTicketKey.generate(now.minus(HOUR).plusSeconds(60));
        TlsTicketKey next = TlsTicketKey.generate(now);
        try (TlsContext client = clientContext("20240503"); TlsContext before = serverContext(List.of(old));
                TlsContext rotated = serverContext(List.of(old, next)); TlsContext withoutOld = serverContext(List.of(next))) {
            TlsSessionTicket underOld = Handshake.run(client, before, null).tickets.getLast();
            assertThat(Handshake.run(client, rotated, underOld).server.resumed()).isTrue();
            assertThat(Handshake.run(client, withoutOld, underOld).server.resumed()).isFalse();
        }
    }

    @Test
    void aServerThatAsksForClientCertificatesIssuesNoTicket() throws Exception {
        TestPki.Credential clientCredential = pki.credential(Kind.CLIENT);
        try (TlsContext client = TlsContext.create(TlsContextOptions.client().withTrustedCertificates(rootPem)
                        .withCertificate(clientCredential.chainPem(), clientCredential.privateKeyPem())
                        .withSessionTickets(TlsSessionTickets.ACCEPTED));
                TlsContext requiring = TlsContext.create(TlsContextOptions.server(server.chainPem(), server.privateKeyPem())
                        .withTrustedCertificates(rootPem).withClientAuth(ClientAuth.REQUIRED)
                        .withSessionTickets(TlsSessionTickets.issued(List.of(TlsTicketKey.generate(Instant.now())), HOUR, DAY)))) {
            Handshake full = Handshake.run(client, requiring, null);
            assertThat(full.server.peerCertificates()).isNotEmpty();
            assertThat(full.tickets).isEmpty();
        }
    }

    private static TlsContext clientContext(String policy) throws IoErrorException {
        return TlsContext.create(TlsContextOptions.client().withTrustedCertificates(rootPem).withSecurityPolicy(policy)
                .withAlpn("h2").withSessionTickets(TlsSessionTickets.ACCEPTED));
    }

    private static TlsContext serverContext(List<TlsTicketKey> keys) throws IoErrorException {
        return TlsContext.create(TlsContextOptions.server(server.chainPem(), server.privateKeyPem()).withAlpn("h2")
                .withSessionTickets(TlsSessionTickets.issued(keys, HOUR, DAY)));
    }

    /** One client and one server connection, handshaken in memory, and the tickets the client got. */
    private record Handshake(TlsNegotiation client, TlsNegotiation server, List<TlsSessionTicket> tickets) {
        static Handshake run(TlsContext clientContext, TlsContext serverContext, TlsSessionTicket resumeFrom) throws IoErrorException {
            List<TlsSessionTicket> tickets = new ArrayList<>();
            TlsConnectionOptions clientOptions = TlsConnectionOptions.of(clientContext).withServerName("localhost")
                    .withOnSessionTicket(tickets::add);
            if (resumeFrom != null) {
                clientOptions = clientOptions.withSessionTicket(resumeFrom);
            }
            try (TlsConnection client = TlsConnection.open(clientOptions);
                    TlsConnection server = TlsConnection.open(TlsConnectionOptions.of(serverContext))) {
                ByteBuffer toServer = ByteBuffer.allocate(1 << 16).flip();
                ByteBuffer toClient = ByteBuffer.allocate(1 << 16).flip();
                TlsConnection.Progress clientStep = null;
                TlsConnection.Progress serverStep = null;
                for (int turn = 0; turn < 100 && !(clientStep == TlsConnection.Progress.DONE && serverStep == TlsConnection.Progress.DONE); turn++) {
                    clientStep = step(client, toClient, toServer);
                    serverStep = step(server, toServer, toClient);
                }
                assertThat(clientStep).isEqualTo(TlsConnection.Progress.DONE);
                assertThat(serverStep).isEqualTo(TlsConnection.Progress.DONE);
                // A TLS 1.3 server's tickets follow its handshake: the client reads them as records.
                ByteBuffer plaintext = ByteBuffer.allocate(TlsConnection.RECORD_PLAINTEXT);
                while (toClient.hasRemaining()) {
                    assertThat(client.decrypt(toClient, new ByteBuffer[] {plaintext}, 0, 1)).isZero();
                }
                return new Handshake(client.negotiation(), server.negotiation(), tickets);
            }
        }

        private static TlsConnection.Progress step(TlsConnection connection, ByteBuffer input, ByteBuffer output) throws IoErrorException {
            output.compact();
            try {
                return connection.handshake(input, output);
            } finally {
                output.flip();
            }
        }
    }
}
