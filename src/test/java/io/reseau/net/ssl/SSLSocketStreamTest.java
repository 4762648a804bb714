package io.reseau.net.ssl;

import static io.reseau.net.ssl.SslSockets.echoOnce;
import static io.reseau.net.ssl.SslSockets.roundTrip;
import static io.reseau.net.ssl.SslSockets.server;
import static io.reseau.net.ssl.SslSockets.RESEAU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.net.ReseauSocketFactory;
import io.reseau.net.ssl.SslSockets.Transport;
import io.reseau.testing.OpenSslPeer;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import io.reseau.testing.WaitingThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Data through Reseau's SSLSocket: volume, many records, close_notify, mutual TLS, layering, scale. */
@Timeout(120)
class SSLSocketStreamTest {
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @ParameterizedTest(name = "both {0}")
    @EnumSource(Transport.class)
    void sixteenMebibytesGoBothWaysWithBackPressure(Transport transport) throws Exception {
        byte[] data = new byte[16 * 1024 * 1024];
        new Random(6).nextBytes(data);
        try (SSLServerSocket server = transport.listen(pki.serverContext(Kind.SERVER_RSA, RESEAU))) {
            CompletableFuture<SSLSession> echoed = echoOnce(server);
            try (SSLSocket client = transport.connect(pki.clientContext(null, RESEAU), "localhost", server.getLocalPort())) {
                // The writer runs ahead while this thread reads: the echo blocks on the client's
                // window, and the client's writes on the echo's, until both drain.
                CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                    try {
                        OutputStream out = client.getOutputStream();
                        for (int offset = 0; offset < data.length; offset += 65536) {
                            out.write(data, offset, 65536);
                        }
                        client.shutdownOutput();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, runnable -> Thread.ofVirtual().start(runnable));
                byte[] back = client.getInputStream().readNBytes(data.length);
                written.get(60, TimeUnit.SECONDS);
                assertThat(MessageDigest.isEqual(sha256(back), sha256(data))).isTrue();
                assertThat(client.getInputStream().read()).as("the echo's close_notify").isEqualTo(-1);
            }
            echoed.get(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "Reseau client {0}")
    @EnumSource(Transport.class)
    void manySmallRecordsArriveInOrder(Transport transport) throws Exception {
        try (SSLServerSocket server = server(pki.jsseServerContext(Kind.SERVER_EC256))) {
            CompletableFuture<SSLSession> echoed = echoOnce(server);
            try (SSLSocket client = transport.connect(pki.clientContext(null, RESEAU), "localhost", server.getLocalPort())) {
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                byte[] expected = new byte[20_000];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = (byte) (i * 31);
                    out.write(expected[i]); // one byte, one record
                }
                assertThat(in.readNBytes(expected.length)).isEqualTo(expected);
            }
            echoed.get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * A reader polls for a short while (50 µs) before it parks: answers that come at once, during
     * the poll, as it ends and after the reader parked must each reach it. The server answers after
     * delays swept across the poll's end, where an answer slipping between the poll's last look and
     * the wait would leave the reader parked.
     */
    @Test
    void answersArriveWhetherTheReaderIsPollingOrParked() throws Exception {
        int rounds = 20_000;
        try (SSLServerSocket server = server(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            CompletableFuture<Void> answered = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.setSoTimeout(10_000);
                    InputStream in = accepted.getInputStream();
                    OutputStream out = accepted.getOutputStream();
                    for (int round = 0; round < rounds; round++) {
                        int asked = in.read();
                        long answerAt = System.nanoTime() + 1_000L * (round % 100); // 0-99 µs
                        while (System.nanoTime() < answerAt) {
                            Thread.onSpinWait();
                        }
                        out.write(asked + 1);
                    }
                    answered.complete(null);
                } catch (Throwable t) {
                    answered.completeExceptionally(t);
                }
            });
            try (SSLSocket client = (SSLSocket) pki.clientContext(null, RESEAU).getSocketFactory()
                    .createSocket("localhost", server.getLocalPort())) {
                client.setSoTimeout(10_000); // a reader left parked fails here, not by the class timeout
                for (int round = 0; round < rounds; round++) {
                    client.getOutputStream().write(round & 0x7f);
                    assertThat(client.getInputStream().read()).as("answer %d", round).isEqualTo((round & 0x7f) + 1);
                    if (round % 1_000 == 999) {
                        Thread.sleep(5); // long waits: the readers stop polling, then start again
                    }
                }
            }
            answered.get(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "Reseau client {0}")
    @EnumSource(Transport.class)
    void closingSendsCloseNotifyThePeerSees(Transport transport) throws Exception {
        try (OpenSslPeer server = OpenSslPeer.server(OpenSslPeer.ServerOptions.of(pki.credential(Kind.SERVER_EC256))
                .withConnections(1))) {
            SSLSocket client = transport.connect(pki.clientContext(null, RESEAU), "localhost", server.port());
            assertThat(roundTrip(client, "bye\n")).asString(StandardCharsets.UTF_8).isEqualTo("bye\n");
            client.close();
            server.awaitExit(Duration.ofSeconds(10)); // its trace is complete only then
            String received = server.trace().substring(server.trace().lastIndexOf("Received Record"));
            assertThat(received).contains("Inner Content Type = Alert").contains("description=close notify");
        }
    }

    /**
     * Both chains, on each side, come as {@code X509Certificate[]} at run time, as JSSE hands them:
     * clients cast the array (pgjdbc's verify-full does).
     */
    @ParameterizedTest(name = "both {0} {1}")
    @MethodSource("io.reseau.net.ssl.SslSockets#stacks")
    void mutualTlsShowsEachSideTheOthersCertificateAsX509Arrays(String implementation, Transport transport) throws Exception {
        Provider provider = SslSockets.provider(implementation);
        try (SSLServerSocket server = transport.listen(pki.serverContext(Kind.SERVER_EC256, provider))) {
            server.setNeedClientAuth(true);
            CompletableFuture<SSLSession> serverSession = echoOnce(server);
            try (SSLSocket client = transport.connect(pki.clientContext(Kind.CLIENT, provider), "localhost", server.getLocalPort())) {
                assertThat(roundTrip(client, "mtls")).asString(StandardCharsets.UTF_8).isEqualTo("mtls");
                assertThat(client.getSession().getLocalCertificates()).isExactlyInstanceOf(X509Certificate[].class);
                assertThat(client.getSession().getPeerCertificates()).isExactlyInstanceOf(X509Certificate[].class);
                client.shutdownOutput();
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
            SSLSession accepted = serverSession.get(10, TimeUnit.SECONDS);
            assertThat(accepted.getLocalCertificates()).isExactlyInstanceOf(X509Certificate[].class);
            assertThat(accepted.getPeerCertificates()).isExactlyInstanceOf(X509Certificate[].class);
            X509Certificate clientCertificate = (X509Certificate) accepted.getPeerCertificates()[0];
            assertThat(clientCertificate.getSubjectX500Principal().getName()).contains("reseau-client");
        }
    }

    /** JSSE has no urgent data, and says so with these words; so does Reseau's SSLSocket. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Reseau", "JSSE"})
    void urgentDataAndOobInlineAreRefusedAsJsseRefusesThem(String implementation) throws Exception {
        Provider provider = implementation.equals("Reseau") ? RESEAU : null;
        try (SSLSocket socket = (SSLSocket) pki.clientContext(null, provider).getSocketFactory().createSocket()) {
            assertThatThrownBy(() -> socket.sendUrgentData(1))
                    .isInstanceOf(SocketException.class).hasMessage("This method is not supported by SSLSockets");
            String ineffective = "This method is ineffective, since sending urgent data is not supported by SSLSockets";
            assertThatThrownBy(() -> socket.setOOBInline(true)).isInstanceOf(SocketException.class).hasMessage(ineffective);
            assertThatThrownBy(socket::getOOBInline).isInstanceOf(SocketException.class).hasMessage(ineffective);
        }
    }

    /** A plain socket connected to {@code port} on loopback: Reseau's, or the JDK's. */
    private static Socket plainSocket(String kind, int port) throws IOException {
        return kind.equals("Reseau") ? ReseauSocketFactory.getDefault().createSocket("localhost", port) : new Socket("localhost", port);
    }

    @ParameterizedTest(name = "over a {0} socket")
    @ValueSource(strings = {"Reseau", "JDK"})
    void layeredWithAutoCloseFalseTheTcpConnectionSurvives(String plainKind) throws Exception {
        try (SSLServerSocket server = server(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            CompletableFuture<SSLSession> echoed = echoOnce(server);
            Socket plain = plainSocket(plainKind, server.getLocalPort());
            SSLSocketFactory factory = pki.clientContext(null, RESEAU).getSocketFactory();
            SSLSocket tls = (SSLSocket) factory.createSocket(plain, "localhost", server.getLocalPort(), false);
            assertThat(roundTrip(tls, "layered")).asString(StandardCharsets.UTF_8).isEqualTo("layered");
            tls.close();
            assertThat(tls.isClosed()).isTrue();
            assertThat(plain.isClosed()).isFalse();
            echoed.get(10, TimeUnit.SECONDS); // the server read our close_notify as the end
            plain.close();
        }
    }

    @ParameterizedTest(name = "over a {0} socket")
    @ValueSource(strings = {"Reseau", "JDK"})
    void closingTheUnderlyingSocketAbortsABlockedRead(String plainKind) throws Exception {
        try (SSLServerSocket server = server(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            // A peer that stays silent: one that answered the close's FIN with close_notify could
            // have it read by the racing read (the JDK's socket completes a read whose bytes came
            // before it woke), which would then rightly return -1.
            CompletableFuture<Socket> silent = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    SSLSocket accepted = (SSLSocket) server.accept();
                    accepted.startHandshake();
                    silent.complete(accepted);
                } catch (Throwable t) {
                    silent.completeExceptionally(t);
                }
            });
            Socket plain = plainSocket(plainKind, server.getLocalPort());
            SSLSocket tls = (SSLSocket) pki.clientContext(null, RESEAU).getSocketFactory()
                    .createSocket(plain, "localhost", server.getLocalPort(), true);
            tls.startHandshake();
            CompletableFuture<Throwable> reader = new CompletableFuture<>();
            Thread readerThread = Thread.ofVirtual().start(() -> {
                try {
                    reader.complete(new AssertionError("read returned " + tls.getInputStream().read()));
                } catch (Throwable t) {
                    reader.complete(t);
                }
            });
            WaitingThreads.await(readerThread);
            plain.close();
            assertThat(reader.get(10, TimeUnit.SECONDS)).isInstanceOf(SocketException.class);
            assertThat(tls.isClosed()).isTrue();
            silent.get(10, TimeUnit.SECONDS).close();
        }
    }

    @ParameterizedTest(name = "over a {0} socket")
    @ValueSource(strings = {"Reseau", "JDK"})
    void resettingTheSocketUnderALayeredSSLSocketSendsNoCloseNotify(String plainKind) throws Exception {
        // A JSSE server: it reads a close_notify that comes before a reset, so an orderly close
        // slipped in ahead of the reset would show as -1.
        try (SSLServerSocket server = server(pki.jsseServerContext(Kind.SERVER_EC256))) {
            CompletableFuture<Throwable> serverRead = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.getOutputStream().write(accepted.getInputStream().read());
                    serverRead.complete(new AssertionError("read returned " + accepted.getInputStream().read()));
                } catch (Throwable t) {
                    serverRead.complete(t);
                }
            });
            Socket plain = plainSocket(plainKind, server.getLocalPort());
            SSLSocket tls = (SSLSocket) pki.clientContext(null, RESEAU).getSocketFactory()
                    .createSocket(plain, "localhost", server.getLocalPort(), false);
            assertThat(roundTrip(tls, "x")).asString(StandardCharsets.UTF_8).isEqualTo("x"); // the server reads again
            plain.setSoLinger(true, 0);
            plain.close();
            assertThat(serverRead.get(10, TimeUnit.SECONDS)).isInstanceOf(SocketException.class)
                    .hasMessage("Connection reset");
        }
    }

    @ParameterizedTest(name = "{0} server {1}")
    @MethodSource("io.reseau.net.ssl.SslSockets#stacks")
    void aResetAfterTheHandshakeFailsTheServersFirstReadAndClosesTheSocketAsJsseDoes(String implementation, Transport transport)
            throws Exception {
        SSLContext serverContext = pki.serverContext(Kind.SERVER_EC256, SslSockets.provider(implementation));
        try (SSLServerSocket server = transport.listen(serverContext)) {
            // The first read waits for plaintext through the handshake; the reset comes once
            // the server's handshake has ended, so it fails the read, not the handshake.
            CompletableFuture<SSLSocket> acceptedOne = new CompletableFuture<>();
            CompletableFuture<Void> serverHandshaken = new CompletableFuture<>();
            acceptedOne.thenAccept(accepted -> accepted.addHandshakeCompletedListener(event -> serverHandshaken.complete(null)));
            CompletableFuture<Throwable> serverRead = firstReadOfOne(server, acceptedOne);
            Socket plain = new Socket("localhost", server.getLocalPort());
            SSLSocket tls = (SSLSocket) pki.jsseClientContext().getSocketFactory()
                    .createSocket(plain, "localhost", server.getLocalPort(), false);
            tls.startHandshake();
            serverHandshaken.get(10, TimeUnit.SECONDS);
            plain.setSoLinger(true, 0);
            plain.close();
            String stack = serverContext.getProvider().getName();
            // JSSE may meet the reset writing its session ticket: "Connection reset by peer".
            assertThat(serverRead.get(10, TimeUnit.SECONDS)).as(stack)
                    .isInstanceOf(SocketException.class).hasMessageStartingWith("Connection reset");
            SSLSocket accepted = acceptedOne.get();
            assertThat(accepted.isClosed()).as(stack).isTrue();
            assertThatThrownBy(accepted::getInputStream).as(stack).hasMessage("Socket is closed");
        }
    }

    /** JSSE closes an SSLSocket whose read fails, not one whose write fails in the socket below. */
    @ParameterizedTest(name = "{0} server {1}")
    @MethodSource("io.reseau.net.ssl.SslSockets#stacks")
    void aLaterReadFailingClosesTheSocketAndAWriteFailingDoesNotAsInJsse(String implementation, Transport transport) throws Exception {
        SSLContext serverContext = pki.serverContext(Kind.SERVER_EC256, SslSockets.provider(implementation));
        for (boolean writing : new boolean[] {false, true}) {
            String stack = implementation + (writing ? ", writing" : ", reading");
            try (SSLServerSocket server = transport.listen(serverContext)) {
                CompletableFuture<SSLSocket> acceptedOne = new CompletableFuture<>();
                CountDownLatch reset = new CountDownLatch(1);
                CompletableFuture<Throwable> failure = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> {
                    try {
                        SSLSocket accepted = (SSLSocket) server.accept();
                        acceptedOne.complete(accepted);
                        accepted.getOutputStream().write(accepted.getInputStream().read()); // past the first read
                        reset.await();
                        if (writing) {
                            while (true) { // a write's failure may surface on the next one
                                accepted.getOutputStream().write(new byte[16384]);
                            }
                        }
                        failure.complete(new AssertionError("read returned " + accepted.getInputStream().read()));
                    } catch (Throwable t) {
                        failure.complete(t);
                    }
                });
                Socket plain = new Socket("localhost", server.getLocalPort());
                SSLSocket tls = (SSLSocket) pki.jsseClientContext().getSocketFactory()
                        .createSocket(plain, "localhost", server.getLocalPort(), false);
                assertThat(roundTrip(tls, "x")).as(stack).asString(StandardCharsets.UTF_8).isEqualTo("x");
                plain.setSoLinger(true, 0);
                plain.close();
                reset.countDown();
                assertThat(failure.get(10, TimeUnit.SECONDS)).as(stack).isInstanceOf(SocketException.class);
                SSLSocket accepted = acceptedOne.get();
                assertThat(accepted.isClosed()).as(stack).isEqualTo(!writing);
                accepted.close();
            }
        }
    }

    /** Accepts one connection on {@code server} into {@code acceptedOne} and reports how its first read failed. */
    private static CompletableFuture<Throwable> firstReadOfOne(SSLServerSocket server, CompletableFuture<SSLSocket> acceptedOne) {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                SSLSocket accepted = (SSLSocket) server.accept();
                acceptedOne.complete(accepted);
                failure.complete(new AssertionError("read returned " + accepted.getInputStream().read()));
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        return failure;
    }

    @Test
    void aThousandConcurrentConnectionsHandshakeAndEcho() throws Exception {
        int connections = 1000;
        SSLContext clientContext = pki.clientContext(null, RESEAU);
        AtomicLong echoed = new AtomicLong();
        // A backlog for the whole burst: beyond the kernel's, a client's connection waits for the
        // server's SYN-ACK retransmissions (1 s, 3 s, 7 s...), which its TLS timer counts.
        try (SSLServerSocket server = server(pki.serverContext(Kind.SERVER_EC256, RESEAU), connections)) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < connections; i++) {
                    try {
                        SSLSocket accepted = (SSLSocket) server.accept();
                        Thread.ofVirtual().start(() -> {
                            try (accepted) {
                                byte[] buffer = new byte[64];
                                int n = accepted.getInputStream().readNBytes(buffer, 0, 64);
                                accepted.getOutputStream().write(buffer, 0, n);
                                accepted.getInputStream().read(); // until the client's close_notify
                            } catch (Exception e) {
                                // the client's assertion reports it
                            }
                        });
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                int id = i;
                CompletableFuture<Void> done = new CompletableFuture<>();
                clients.add(done);
                Thread.ofVirtual().start(() -> {
                    try (SSLSocket client = (SSLSocket) clientContext.getSocketFactory().createSocket("localhost",
                            server.getLocalPort())) {
                        byte[] message = new byte[64];
                        Arrays.fill(message, (byte) id);
                        client.getOutputStream().write(message);
                        byte[] back = client.getInputStream().readNBytes(64);
                        if (!Arrays.equals(back, message)) {
                            throw new AssertionError("connection " + id + ": wrong echo");
                        }
                        echoed.addAndGet(back.length);
                        done.complete(null);
                    } catch (Throwable t) {
                        done.completeExceptionally(t);
                    }
                });
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(100, TimeUnit.SECONDS);
            acceptor.join(10_000);
        }
        assertThat(echoed).hasValue(connections * 64L);
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
