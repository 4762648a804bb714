package io.reseau.net.ssl;

import static io.reseau.net.ssl.SslSockets.RESEAU;
import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.net.ssl.SslSockets.Transport;
import io.reseau.testing.Polling;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which failures wait out s2n's blinding delay (10-30 s) before the peer hears of them: those
 * where timing could tell a secret, such as a record that fails to decrypt, still do; a peer's own
 * alert does not (the prompt refusal of a client without a certificate is in SSLSocketFailureTest).
 */
@Timeout(60)
class BlindingDelayTest {
    private static final byte APPLICATION_DATA = 23;
    /** A plaintext alert record, as a peer may send before any key is agreed. */
    private static final byte[] FATAL_HANDSHAKE_FAILURE = {21, 3, 1, 0, 2, 2, 40};
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @ParameterizedTest(name = "Reseau server {0}")
    @EnumSource(Transport.class)
    void aRecordThatFailsToDecryptStillDelaysTheServersAnswer(Transport transport) throws Exception {
        try (SSLServerSocket server = transport.listen(pki.serverContext(Kind.SERVER_EC256, RESEAU));
                ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Throwable> serverRead = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    serverRead.complete(new AssertionError("read " + accepted.getInputStream().read()));
                } catch (Throwable t) {
                    serverRead.complete(t);
                }
            });
            CompletableFuture<Void> serverAnswered = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> corruptTheFirstApplicationData(relay, server.getLocalPort(), serverAnswered));
            // TLS 1.2 with AES-GCM: the record layer Lucky13-style attacks time.
            try (SSLSocket client = (SSLSocket) pki.jsseClientContext().getSocketFactory()
                    .createSocket("localhost", relay.getLocalPort())) {
                client.setEnabledProtocols(new String[] {"TLSv1.2"});
                client.startHandshake();
                client.getOutputStream().write("tampered with on the way".getBytes(StandardCharsets.US_ASCII));
                assertThat(serverRead.get(10, TimeUnit.SECONDS)).isInstanceOf(SSLException.class)
                        .hasMessageContaining("S2N_ERR_DECRYPT");
                Polling.assertStaysTrue(() -> !serverAnswered.isDone(), Duration.ofSeconds(2),
                        "the server's alert and close wait out the blinding delay");
            }
        }
    }

    @ParameterizedTest(name = "Reseau server {0}")
    @EnumSource(Transport.class)
    void aPeersAlertEndsTheConnectionWithoutDelayEvenIfThePeerStays(Transport transport) throws Exception {
        try (SSLServerSocket server = transport.listen(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.startHandshake();
                    refused.complete(null);
                } catch (Throwable t) {
                    refused.complete(t);
                }
            });
            try (Socket peer = new Socket(server.getInetAddress(), server.getLocalPort())) {
                peer.getOutputStream().write(FATAL_HANDSHAKE_FAILURE);
                assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(SSLException.class).hasMessageContaining("S2N_ERR_ALERT");
                peer.setSoTimeout(5_000);
                assertThat(peer.getInputStream().read()).as("the server closes without a word: s2n answers an alert with none")
                        .isEqualTo(-1);
            }
        }
    }

    /**
     * Relays one connection to {@code serverPort}, flipping a bit in the tag of the client's first
     * application-data record; completes {@code serverAnswered} when the server sends anything
     * after that record, or closes.
     */
    private static void corruptTheFirstApplicationData(ServerSocket relay, int serverPort, CompletableFuture<Void> serverAnswered) {
        try (Socket client = relay.accept(); Socket server = new Socket(relay.getInetAddress(), serverPort)) {
            boolean[] corrupted = {false};
            Thread.ofVirtual().start(() -> {
                try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
                    byte[] buffer = new byte[16384];
                    for (int n = in.read(buffer); ; n = in.read(buffer)) {
                        synchronized (corrupted) {
                            if (corrupted[0]) {
                                serverAnswered.complete(null);
                            }
                        }
                        if (n < 0) {
                            return;
                        }
                        out.write(buffer, 0, n);
                    }
                } catch (IOException e) {
                    serverAnswered.complete(null);
                }
            });
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = server.getOutputStream();
            while (true) {
                byte[] header = new byte[5];
                in.readFully(header);
                byte[] body = new byte[((header[3] & 0xff) << 8) | (header[4] & 0xff)];
                in.readFully(body);
                synchronized (corrupted) {
                    if (header[0] == APPLICATION_DATA && !corrupted[0]) {
                        body[body.length - 1] ^= 1;
                        corrupted[0] = true;
                    }
                }
                out.write(header);
                out.write(body);
            }
        } catch (EOFException end) {
            // the client closed
        } catch (IOException e) {
            serverAnswered.completeExceptionally(e);
        }
    }
}
