package io.reseau.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoErrorException;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS over buffers the test moves, with output buffers far smaller than a record: s2n holds what
 * does not fit and writes it at the next call with room, and plaintext it took but could not write
 * is presented again from the connection's own copy.
 */
@Timeout(60)
class TlsConnectionTest {
    /** Room per call: a handshake flight and every record take several calls. */
    private static final int SMALL = 100;
    private static TestPki pki;
    private static TlsContext clientContext;
    private static TlsContext serverContext;

    @BeforeAll
    static void contexts(@TempDir Path dir) throws Exception {
        pki = TestPki.generate(dir);
        TestPki.Credential server = pki.credential(Kind.SERVER_EC256);
        serverContext = TlsContext.create(TlsContextOptions.server(server.chainPem(), server.privateKeyPem()).withAlpn("h2"));
        clientContext = TlsContext.create(TlsContextOptions.client()
                .withTrustedCertificates(Files.readString(pki.rootCertificate())).withAlpn("h2", "http/1.1"));
    }

    @AfterAll
    static void close() {
        clientContext.close();
        serverContext.close();
    }

    @Test
    void aHandshakeAndSixtyFourKibibytesGoThroughHundredByteBuffersBothWays() throws Exception {
        try (TlsConnection client = TlsConnection.open(TlsConnectionOptions.of(clientContext).withServerName("localhost"));
                TlsConnection server = TlsConnection.open(TlsConnectionOptions.of(serverContext))) {
            Pipe toServer = new Pipe();
            Pipe toClient = new Pipe();
            TlsConnection.Progress clientStep = null;
            TlsConnection.Progress serverStep = null;
            for (int turn = 0; turn < 10_000 && !(clientStep == TlsConnection.Progress.DONE && serverStep == TlsConnection.Progress.DONE); turn++) {
                clientStep = toServer.write(output -> client.handshake(toClient.input(), output));
                serverStep = toClient.write(output -> server.handshake(toServer.input(), output));
            }
            assertThat(clientStep).isEqualTo(TlsConnection.Progress.DONE);
            assertThat(serverStep).isEqualTo(TlsConnection.Progress.DONE);
            assertThat(client.negotiation().version()).isEqualTo(TlsVersion.TLS_1_3);
            assertThat(client.negotiation().applicationProtocol()).isEqualTo("h2");
            assertThat(server.negotiation().serverName()).isEqualTo("localhost");

            byte[] bytes = new byte[64 << 10];
            new Random(1).nextBytes(bytes);
            assertThat(send(client, toServer, server, bytes)).isEqualTo(bytes);
            assertThat(send(server, toClient, client, bytes)).isEqualTo(bytes);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheServerFailsWithS2nsReason() throws Exception {
        try (TlsContext untrusting = TlsContext.create(TlsContextOptions.client()
                        .withTrustedCertificates(Files.readString(pki.untrustedRootCertificate())));
                TlsConnection client = TlsConnection.open(TlsConnectionOptions.of(untrusting).withServerName("localhost"));
                TlsConnection server = TlsConnection.open(TlsConnectionOptions.of(serverContext))) {
            Pipe toServer = new Pipe();
            Pipe toClient = new Pipe();
            assertThatThrownBy(() -> {
                for (int turn = 0; turn < 10_000; turn++) {
                    toServer.write(output -> client.handshake(toClient.input(), output));
                    toClient.write(output -> server.handshake(toServer.input(), output));
                }
            }).isInstanceOf(IoErrorException.class).hasMessageContaining("S2N_ERR_CERT_UNTRUSTED");
            assertThat(client.failure().s2nError()).isEqualTo("S2N_ERR_CERT_UNTRUSTED");
            assertThat(client.negotiation()).isNull();
        }
    }

    /**
     * Encrypts {@code bytes} on {@code from} into {@code pipe}, {@link #SMALL} bytes of room at a
     * time, while {@code to} decrypts what arrives; what came out.
     */
    private static byte[] send(TlsConnection from, Pipe pipe, TlsConnection to, byte[] bytes) throws IoErrorException {
        ByteBuffer source = ByteBuffer.wrap(bytes);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer plaintext = ByteBuffer.allocate(TlsConnection.RECORD_PLAINTEXT);
        while (received.size() < bytes.length) {
            if (source.hasRemaining() || from.hasUnsentOutput()) {
                pipe.write(output -> from.encrypt(new ByteBuffer[] {source}, 0, 1, output));
            }
            plaintext.clear();
            int n = to.decrypt(pipe.input(), new ByteBuffer[] {plaintext}, 0, 1);
            assertThat(n).isNotNegative();
            received.write(plaintext.array(), 0, plaintext.position());
        }
        assertThat(from.hasUnsentOutput()).isFalse();
        return received.toByteArray();
    }

    /** Bytes one connection wrote and the other has not read yet. */
    private static final class Pipe {
        private final ByteBuffer bytes = ByteBuffer.allocate(1 << 20).flip();

        interface Call<T> {
            T into(ByteBuffer output) throws IoErrorException;
        }

        /** Runs {@code call} with {@link #SMALL} bytes of room, and keeps what it wrote. */
        <T> T write(Call<T> call) throws IoErrorException {
            ByteBuffer output = ByteBuffer.allocate(SMALL);
            T result = call.into(output);
            bytes.compact().put(output.flip()).flip();
            return result;
        }

        /** What is there to read; reading advances it. */
        ByteBuffer input() {
            return bytes;
        }
    }
}
