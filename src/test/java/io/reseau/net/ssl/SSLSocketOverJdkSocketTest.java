package io.reseau.net.ssl;

import static io.reseau.net.ssl.SslSockets.RESEAU;
import static io.reseau.net.ssl.SslSockets.echoOnce;
import static io.reseau.net.ssl.SslSockets.roundTrip;
import static io.reseau.net.ssl.SslSockets.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.net.ssl.SslSockets.Transport;
import io.reseau.testing.OpenSslPeer;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reseau's TLS layered over the JDK's sockets, against other implementations: a client over a
 * connected JDK socket ({@code createSocket(socket, host, port, autoClose)}) and a server over a
 * JDK-accepted one ({@code createSocket(socket, consumed, autoClose)}), each with JSSE and OpenSSL
 * at the other end, carrying 16 MiB.
 */
@Timeout(120)
class SSLSocketOverJdkSocketTest {
    private static final int SIXTEEN_MEBIBYTES = 16 * 1024 * 1024;
    private static TestPki pki;
    private static byte[] data;

    @BeforeAll
    static void generate(@TempDir Path dir) {
        pki = TestPki.generate(dir);
        data = new byte[SIXTEEN_MEBIBYTES];
        new Random(16).nextBytes(data);
    }

    private static SSLSocket reseauClientOverAJdkSocket(int port) throws IOException {
        return Transport.OVER_JDK_SOCKET.connect(pki.clientContext(null, RESEAU), "localhost", port);
    }

    /** Sends {@link #data} on one thread while this one reads the echo back, and checks it. */
    private static void assertEchoed(SSLSocket client) throws Exception {
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = client.getOutputStream();
                for (int offset = 0; offset < data.length; offset += 65536) {
                    out.write(data, offset, 65536);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, Thread::startVirtualThread);
        byte[] back = client.getInputStream().readNBytes(data.length);
        written.get(60, TimeUnit.SECONDS);
        assertThat(back.length).isEqualTo(data.length);
        assertThat(MessageDigest.isEqual(sha256(back), sha256(data))).as("the echo is what was sent").isTrue();
    }

    @Test
    void aClientOverAJdkSocketEchoesSixteenMebibytesThroughAJsseServer() throws Exception {
        try (SSLServerSocket server = server(pki.jsseServerContext(Kind.SERVER_EC256))) {
            CompletableFuture<SSLSession> echoed = echoOnce(server);
            try (SSLSocket client = reseauClientOverAJdkSocket(server.getLocalPort())) {
                assertEchoed(client);
                client.shutdownOutput();
                assertThat(client.getInputStream().read()).as("the server's close_notify after ours").isEqualTo(-1);
            }
            assertThat(echoed.get(10, TimeUnit.SECONDS).getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void aServerOverAJdkSocketEchoesSixteenMebibytesToAJsseClient() throws Exception {
        try (SSLServerSocket server = Transport.OVER_JDK_SOCKET.listen(pki.serverContext(Kind.SERVER_RSA, RESEAU))) {
            CompletableFuture<SSLSession> echoed = echoOnce(server);
            try (SSLSocket client = (SSLSocket) pki.jsseClientContext().getSocketFactory()
                    .createSocket("localhost", server.getLocalPort())) {
                assertEchoed(client);
                client.shutdownOutput();
                assertThat(client.getInputStream().read()).as("the server's close_notify after ours").isEqualTo(-1);
            }
            assertThat(echoed.get(10, TimeUnit.SECONDS).getCipherSuite()).startsWith("TLS_");
        }
    }

    @Test
    void aClientOverAJdkSocketEchoesSixteenMebibytesThroughOpenSsl() throws Exception {
        try (OpenSslPeer server = OpenSslPeer.server(OpenSslPeer.ServerOptions.of(pki.credential(Kind.SERVER_EC384)));
                SSLSocket client = reseauClientOverAJdkSocket(server.port())) {
            assertEchoed(client);
            // the cast clients such as pgjdbc's verify-full make
            X509Certificate[] chain = (X509Certificate[]) client.getSession().getPeerCertificates();
            assertThat(chain[0].getSubjectX500Principal().getName()).contains("localhost");
        }
    }

    @Test
    void anOpenSslClientSendsSixteenMebibytesToAServerOverAJdkSocket() throws Exception {
        try (SSLServerSocket server = Transport.OVER_JDK_SOCKET.listen(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    byte[] received = accepted.getInputStream().readNBytes(data.length);
                    String digest = HexFormat.of().formatHex(sha256(received));
                    accepted.getOutputStream().write(("received " + received.length + " bytes, sha256 " + digest + "\n")
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, Thread::startVirtualThread);
            OpenSslPeer.ClientResult result = OpenSslPeer.client(OpenSslPeer.ClientOptions.connect(server.getLocalPort())
                    .withCaFile(pki.rootCertificate()).withInput(data).withTimeout(Duration.ofSeconds(60)));
            answered.get(10, TimeUnit.SECONDS);
            assertThat(result.timedOut()).as(result.output()).isFalse();
            assertThat(result.output()).contains("Verify return code: 0 (ok)")
                    .contains("received " + data.length + " bytes, sha256 " + HexFormat.of().formatHex(sha256(data)));
        }
    }

    /**
     * A server that reads the start of the ClientHello itself (to route the connection, say) and
     * then hands the connection to TLS with those bytes: the handshake reads them first.
     */
    @Test
    void aServerLayeredAfterReadingTheClientHellosFirstBytesHandshakesWithThem() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (Socket accepted = plain.accept()) {
                    byte[] header = accepted.getInputStream().readNBytes(5);
                    if (header[0] != 22) {
                        throw new AssertionError("not a handshake record: " + header[0]);
                    }
                    try (SSLSocket tls = (SSLSocket) pki.serverContext(Kind.SERVER_EC256, RESEAU).getSocketFactory()
                            .createSocket(accepted, new ByteArrayInputStream(header), true)) {
                        InputStream in = tls.getInputStream();
                        byte[] asked = in.readNBytes(4);
                        tls.getOutputStream().write(asked);
                        return tls.getSession().getProtocol();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, Thread::startVirtualThread);
            try (SSLSocket client = (SSLSocket) pki.jsseClientContext().getSocketFactory()
                    .createSocket("localhost", plain.getLocalPort())) {
                assertThat(roundTrip(client, "ping")).asString(StandardCharsets.UTF_8).isEqualTo("ping");
            }
            assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("TLSv1.3");
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
