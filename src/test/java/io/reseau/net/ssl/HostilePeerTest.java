package io.reseau.net.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.net.ssl.SslSockets.Transport;
import io.reseau.testing.Polling;
import io.reseau.testing.TcpTable;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Provider;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Peers that send what is not TLS, or leave mid-handshake: the handshake fails as soon as the
 * bytes or the end of the stream show it cannot succeed, as JSSE's does (run as the control), not
 * after the 10 s negotiation timeout, with or without SO_TIMEOUT.
 */
@Timeout(60)
class HostilePeerTest {
    /** Far below the 10 s negotiation timeout; far above a failure that is seen at once. */
    private static final Duration PROMPT = Duration.ofSeconds(3);
    /** Longer than {@link #PROMPT}: a failure within it was not the read timing out. */
    private static final int SO_TIMEOUT_MILLIS = 5_000;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static TestPki pki;
    private static byte[] clientHello;

    enum Stack {
        RESEAU(SslSockets.RESEAU, Transport.OWN_SOCKET),
        RESEAU_OVER_JDK_SOCKET(SslSockets.RESEAU, Transport.OVER_JDK_SOCKET),
        JSSE(null, Transport.OWN_SOCKET);

        private final Provider provider;
        private final Transport transport;

        Stack(Provider provider, Transport transport) {
            this.provider = provider;
            this.transport = transport;
        }

        SSLServerSocket listen() throws IOException {
            return transport.listen(pki.serverContext(Kind.SERVER_EC256, provider));
        }

        SSLSocket connect(int port) throws IOException {
            return transport.connect(pki.clientContext(null, provider), "localhost", port);
        }
    }

    enum Garbage {
        TRUNCATED_CLIENT_HELLO, PLAIN_HTTP_REQUEST, NOISE;

        byte[] bytes() {
            return switch (this) {
                case TRUNCATED_CLIENT_HELLO -> Arrays.copyOf(clientHello, clientHello.length / 2);
                case PLAIN_HTTP_REQUEST -> "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                case NOISE -> noise();
            };
        }
    }

    @BeforeAll
    static void generatePki(@TempDir Path dir) throws Exception {
        pki = TestPki.generate(dir);
        clientHello = aClientHello();
    }

    /** The first record of a JSSE client's handshake, as it reaches a plain server. */
    private static byte[] aClientHello() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 50, LOOPBACK)) {
            Thread client = Thread.ofVirtual().start(() -> {
                try (SSLSocket socket = (SSLSocket) pki.jsseClientContext().getSocketFactory()
                        .createSocket(LOOPBACK, plain.getLocalPort())) {
                    socket.startHandshake();
                } catch (IOException expected) {
                    // the server hangs up after the ClientHello
                }
            });
            try (Socket accepted = plain.accept()) {
                DataInputStream in = new DataInputStream(accepted.getInputStream());
                byte[] header = new byte[5];
                in.readFully(header);
                byte[] record = Arrays.copyOf(header, 5 + ((header[3] & 0xff) << 8 | (header[4] & 0xff)));
                in.readFully(record, 5, record.length - 5);
                return record;
            } finally {
                client.join();
            }
        }
    }

    private static byte[] noise() {
        byte[] noise = new byte[4096];
        new Random(15).nextBytes(noise);
        return noise;
    }

    static Stream<Arguments> serversFacingGarbage() {
        return serverCases(Garbage.values());
    }

    static Stream<Arguments> serversFacingWhatIsNotTls() {
        return serverCases(Garbage.PLAIN_HTTP_REQUEST, Garbage.NOISE);
    }

    private static Stream<Arguments> serverCases(Garbage... garbage) {
        return Stream.of(Stack.values()).flatMap(stack -> Stream.of(garbage)
                .flatMap(sent -> Stream.of(0, SO_TIMEOUT_MILLIS).map(timeout -> Arguments.of(stack, sent, timeout))));
    }

    @ParameterizedTest(name = "{0} server, {1} and FIN before the handshake, SO_TIMEOUT {2}")
    @MethodSource("serversFacingGarbage")
    void aServerFailsAtOnceOnAClientThatSentGarbageAndLeftBeforeTheHandshake(Stack stack, Garbage garbage, int soTimeout)
            throws Exception {
        try (SSLServerSocket server = stack.listen();
                Socket client = new Socket(LOOPBACK, server.getLocalPort());
                SSLSocket accepted = (SSLSocket) server.accept()) {
            client.getOutputStream().write(garbage.bytes());
            client.shutdownOutput();
            Polling.await(() -> TcpTable.has(TcpTable.State.CLOSE_WAIT, server.getLocalPort(), client.getLocalPort()),
                    Duration.ofSeconds(5), "the client's FIN");
            accepted.setSoTimeout(soTimeout);
            assertFailsPromptly(() -> {
                accepted.startHandshake();
                return accepted;
            });
        }
    }

    @ParameterizedTest(name = "{0} server, {1} from a client that stays, SO_TIMEOUT {2}")
    @MethodSource("serversFacingWhatIsNotTls")
    void aServerFailsAtOnceOnAClientWhoseFirstBytesAreNotTls(Stack stack, Garbage garbage, int soTimeout) throws Exception {
        try (SSLServerSocket server = stack.listen();
                Socket client = new Socket(LOOPBACK, server.getLocalPort());
                SSLSocket accepted = (SSLSocket) server.accept()) {
            client.getOutputStream().write(garbage.bytes());
            accepted.setSoTimeout(soTimeout);
            assertFailsPromptly(() -> {
                accepted.startHandshake();
                return accepted;
            });
        }
    }

    static Stream<Arguments> clientsFacingNoise() {
        return Stream.of(Stack.values()).flatMap(stack -> Stream.of(0, SO_TIMEOUT_MILLIS).map(timeout -> Arguments.of(stack, timeout)));
    }

    @ParameterizedTest(name = "{0} client, SO_TIMEOUT {1}")
    @MethodSource("clientsFacingNoise")
    void aClientFailsAtOnceOnAServerAnsweringWithNoise(Stack stack, int soTimeout) throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 50, LOOPBACK)) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> answerWithNoise(plain), Thread::startVirtualThread);
            try (SSLSocket client = stack.connect(plain.getLocalPort())) {
                client.setSoTimeout(soTimeout);
                assertFailsPromptly(() -> {
                    client.startHandshake();
                    return client;
                });
            }
            served.get(10, TimeUnit.SECONDS);
        }
    }

    /** Reads the ClientHello, answers 4 KiB of noise, and stays connected until the client leaves. */
    private static void answerWithNoise(ServerSocket plain) {
        try (Socket accepted = plain.accept()) {
            InputStream in = accepted.getInputStream();
            in.read(new byte[4096]);
            accepted.getOutputStream().write(noise());
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the client may reset the connection when it gives up: that is its business
        }
    }

    private static void assertFailsPromptly(ThrowingSupplier<SSLSocket> handshake) {
        long start = System.nanoTime();
        assertThatThrownBy(handshake::get).isInstanceOf(SSLException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to fail").isLessThan(PROMPT);
    }
}
