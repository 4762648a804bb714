package io.reseau.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.channel.Channel;
import io.reseau.channel.ChannelSlot;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.internal.ffi.Libc;
import io.reseau.internal.ffi.SocketAddresses;
import io.reseau.internal.ffi.SocketCalls;
import io.reseau.socket.SocketDomain;
import io.reseau.socket.SocketOptions;
import io.reseau.testing.OpenSslPeer;
import io.reseau.testing.Polling;
import io.reseau.testing.TestPki;
import io.reseau.tls.ClientAuth;
import io.reseau.tls.TlsConnectionOptions;
import io.reseau.tls.TlsContext;
import io.reseau.tls.TlsContextOptions;
import io.reseau.tls.TlsNegotiation;
import io.reseau.tls.TlsVersion;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS through the bootstraps, against Reseau itself and against openssl, on loopback. */
@Timeout(60)
class TlsBootstrapTest extends BootstrapFixture {
    private static final int TCP_INFO = 11;
    private static final int TCP_INFO_SIZE = 232; // struct tcp_info as of Linux 5.x; the kernel fills what it has
    private static final long TCP_INFO_DATA_SEGS_IN = 152; // tcpi_data_segs_in (Linux 4.6)
    private static final int FLIGHT_WITH_CERTIFICATES = 600; // ServerHello to Finished, with two certificates
    private static TestPki pki;
    TlsBootstrapTest() throws Exception {}

    @BeforeAll
    static void generatePki(@TempDir Path dir) throws Exception {
        pki = TestPki.generate(dir);
    }

    private TlsContext serverContext(TestPki.Kind kind, UnaryOperator<TlsContextOptions> tweaks) throws Exception {
        TestPki.Credential credential = pki.credential(kind);
        return resources.track(TlsContext.create(tweaks.apply(TlsContextOptions.server(credential.chainPem(), credential.privateKeyPem()))));
    }

    private TlsContext clientContext(TlsContextOptions options) throws Exception {
        return resources.track(TlsContext.create(options));
    }

    private static TlsContextOptions trustingTheTestRoot() throws Exception {
        return TlsContextOptions.client().withTrustedCertificates(Files.readString(pki.rootCertificate()));
    }

    /** A TLS server whose connections echo; each handshake's outcome goes to {@code negotiations}. */
    private int echoServer(TlsContext context, List<TlsNegotiation> negotiations) throws Exception {
        SocketListener listener = server.listen(ServerListenerOptions.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                SocketOptions.tcp(SocketDomain.IPV4), (channel, error) -> {
                    if (channel != null) {
                        TestHandlers.install(channel, new TestHandlers.Echo(64 * 1024));
                    }
                }, null).withReadBackPressure(true)
                .withTls(TlsConnectionOptions.of(context).withOnNegotiation((handler, negotiation) -> negotiations.add(negotiation))));
        resources.track(listener::close);
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The outcome of a client connection: the channel and its collector, or the setup error. */
    private record Outcome(Channel channel, ChannelSlot slot, TestHandlers.Collector collector, IoError error,
            TlsNegotiation negotiation) {}

    private Outcome connect(String host, int port, TlsConnectionOptions tls, int expectBytes) throws Exception {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        CompletableFuture<TlsNegotiation> negotiation = new CompletableFuture<>();
        TestHandlers.Collector collector = new TestHandlers.Collector(expectBytes, 64 * 1024, true);
        client.connect(ClientConnectionOptions.tcp(host, port, SocketDomain.IPV4, (channel, error) -> {
            if (channel == null) {
                outcome.complete(new Outcome(null, null, null, error, null));
            } else {
                outcome.complete(new Outcome(channel, TestHandlers.install(channel, collector), collector, null, null));
            }
        }, null).withReadBackPressure(true).withTls(tls.withOnNegotiation((handler, result) -> negotiation.complete(result))));
        Outcome result = outcome.get(30, TimeUnit.SECONDS);
        TlsNegotiation handshake = negotiation.getNow(null);
        if (result.channel() != null) {
            resources.track(() -> result.channel().shutdown(null));
        }
        return new Outcome(result.channel(), result.slot(), result.collector(), result.error(), handshake);
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    @Test
    void aReseauClientAndServerAgreeOnTls13AlpnAndSniAndEchoSixteenMebibytesWithBackPressure() throws Exception {
        List<TlsNegotiation> serverSide = new java.util.concurrent.CopyOnWriteArrayList<>();
        int port = echoServer(serverContext(TestPki.Kind.SERVER_EC256, o -> o.withAlpn("h2", "http/1.1")),
                serverSide);
        byte[] data = random(16 << 20);
        Outcome outcome = connect("localhost", port, TlsConnectionOptions.of(clientContext(trustingTheTestRoot().withAlpn("http/1.1"))),
                data.length);
        assertThat(outcome.error()).isNull();
        TlsNegotiation negotiation = outcome.negotiation();
        assertThat(negotiation.version()).isEqualTo(TlsVersion.TLS_1_3);
        assertThat(negotiation.cipherSuite()).startsWith("TLS_AES_").endsWith("_SHA256").isNotEqualTo(null);
        assertThat(negotiation.applicationProtocol()).isEqualTo("http/1.1");
        assertThat(negotiation.serverName()).isEqualTo("localhost");
        // The verified chain, leaf to root: the server sent leaf and intermediate, s2n found the root.
        assertThat(negotiation.peerCertificates()).hasSize(3);
        assertThat(negotiation.peerCertificates().get(0).getSubjectX500Principal().getName()).contains("CN=localhost");
        assertThat(negotiation.peerCertificates().get(2).getSubjectX500Principal().getName()).contains("Reseau Test Root");

        TestHandlers.write(outcome.slot(), data);
        assertThat(Arrays.mismatch(outcome.collector().received.get(60, TimeUnit.SECONDS), data)).isEqualTo(-1);
        TlsNegotiation server = awaitNegotiation(serverSide, 0);
        assertThat(server.serverName()).as("the SNI the server saw").isEqualTo("localhost");
        assertThat(server.applicationProtocol()).isEqualTo("http/1.1");
    }

    /**
     * A TLS 1.3 server answers a ClientHello with six records (ServerHello to Finished) from one
     * negotiation step. They must leave in one send: each segment wakes the client's loop to negotiate
     * again. The client here is a raw socket that sends JSSE's ClientHello and counts, in the kernel's
     * TCP_INFO, the data segments that reached it. (Non-blocking calls only: our socket downcalls are
     * critical, and one blocked in the kernel would hold up every safepoint, the server's loop with it.)
     */
    @Test
    void aServersHandshakeFlightReachesTheClientInOneSegment() throws Exception {
        int port = echoServer(serverContext(TestPki.Kind.SERVER_EC256, o -> o), new ArrayList<>());
        SSLContext jsse = SSLContext.getInstance("TLSv1.3");
        jsse.init(null, null, null);
        SSLEngine engine = jsse.createSSLEngine("localhost", port);
        engine.setUseClientMode(true);
        ByteBuffer clientHello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), clientHello);
        clientHello.flip();

        int fd = SocketCalls.socket(SocketCalls.AF_INET, SocketCalls.SOCK_STREAM | SocketCalls.SOCK_NONBLOCK | SocketCalls.SOCK_CLOEXEC, 0);
        assertThat(fd).isNotNegative();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SocketAddresses.SOCKADDR_STORAGE);
            int addressLength = SocketAddresses.write(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    SocketCalls.AF_INET, address);
            SocketCalls.connect(fd, address, addressLength); // in progress; sends below wait for it
            MemorySegment hello = arena.allocate(clientHello.remaining());
            MemorySegment.copy(MemorySegment.ofBuffer(clientHello), 0, hello, 0, hello.byteSize());
            long sent = Polling.until(() -> SocketCalls.send(fd, hello, hello.byteSize(), SocketCalls.MSG_NOSIGNAL), n -> n >= 0);
            assertThat(sent).as("the ClientHello sent").isEqualTo(hello.byteSize());

            MemorySegment flight = arena.allocate(16 * 1024);
            long[] received = {0};
            Polling.await(() -> {
                long n = SocketCalls.recv(fd, flight.asSlice(received[0]), flight.byteSize() - received[0], SocketCalls.MSG_DONTWAIT);
                received[0] += Math.max(n, 0);
                return received[0] >= FLIGHT_WITH_CERTIFICATES; // not a HelloRetryRequest
            }, "the server's flight received");
            MemorySegment info = arena.allocate(TCP_INFO_SIZE);
            MemorySegment infoLength = arena.allocateFrom(ValueLayout.JAVA_INT, TCP_INFO_SIZE);
            // A flight sent in pieces would have its later segments follow at once: a short watch sees them.
            Polling.assertStaysTrue(() -> {
                assertThat(SocketCalls.getsockopt(fd, SocketCalls.IPPROTO_TCP, TCP_INFO, info, infoLength)).isZero();
                return info.get(ValueLayout.JAVA_INT, TCP_INFO_DATA_SEGS_IN) == 1;
            }, Duration.ofMillis(200), "one data segment from the server");
        } finally {
            Libc.close(fd);
        }
    }

    @Test
    void anAlpnHandlerInstallsTheHandlerOfTheAgreedProtocol() throws Exception {
        int port = echoServer(serverContext(TestPki.Kind.SERVER_EC256, o -> o.withAlpn("h2", "http/1.1")), new ArrayList<>());
        TestHandlers.Collector collector = new TestHandlers.Collector(5, 64 * 1024, true);
        CompletableFuture<String> agreed = new CompletableFuture<>();
        CompletableFuture<ChannelSlot> installedIn = new CompletableFuture<>();
        CompletableFuture<IoError> setup = new CompletableFuture<>();
        client.connect(ClientConnectionOptions.tcp("localhost", port, SocketDomain.IPV4, (channel, error) -> setup.complete(error), null)
                .withReadBackPressure(true)
                .withTls(TlsConnectionOptions.of(clientContext(trustingTheTestRoot().withAlpn("h2")))
                        .withProtocolHandlers((slot, protocol) -> {
                            agreed.complete(protocol);
                            installedIn.complete(slot);
                            return collector;
                        })));
        assertThat(setup.get(30, TimeUnit.SECONDS)).isNull();
        assertThat(agreed.get(10, TimeUnit.SECONDS)).isEqualTo("h2");
        ChannelSlot slot = installedIn.get(10, TimeUnit.SECONDS);
        resources.track(() -> slot.channel().shutdown(null));
        TestHandlers.write(slot, "hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(collector.received.get(10, TimeUnit.SECONDS)).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void everyKindOfServerKeyNegotiates() throws Exception {
        for (TestPki.Kind kind : List.of(TestPki.Kind.SERVER_RSA, TestPki.Kind.SERVER_EC256, TestPki.Kind.SERVER_EC384)) {
            int port = echoServer(serverContext(kind, o -> o), new ArrayList<>());
            Outcome outcome = connect("localhost", port, TlsConnectionOptions.of(clientContext(trustingTheTestRoot())), 5);
            assertThat(outcome.error()).as(kind.name()).isNull();
            TestHandlers.write(outcome.slot(), "hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(outcome.collector().received.get(10, TimeUnit.SECONDS)).as(kind.name()).isEqualTo("hello".getBytes());
        }
    }

    @Test
    void badServerCertificatesFailTheHandshakeWithS2nsReason() throws Exception {
        record Case(TestPki.Kind kind, String host, String reason) {}
        for (Case c : List.of(new Case(TestPki.Kind.EXPIRED, "localhost", "S2N_ERR_CERT_EXPIRED"),
                new Case(TestPki.Kind.WRONG_HOST, "localhost", "S2N_ERR_CERT_UNTRUSTED"),
                new Case(TestPki.Kind.SELF_SIGNED, "localhost", "S2N_ERR_CERT_UNTRUSTED"),
                new Case(TestPki.Kind.UNTRUSTED_ROOT, "localhost", "S2N_ERR_CERT_UNTRUSTED"))) {
            int port = echoServer(serverContext(c.kind(), o -> o), new ArrayList<>());
            Outcome outcome = connect(c.host(), port, TlsConnectionOptions.of(clientContext(trustingTheTestRoot())), 1);
            assertThat(outcome.error()).as(c.kind().name()).isEqualTo(IoError.TLS_ERROR_NEGOTIATION_FAILURE);
            assertThat(outcome.negotiation().succeeded()).isFalse();
            assertThat(outcome.negotiation().failure().s2nError()).as(c.kind().name()).isEqualTo(c.reason());
        }
    }

    @Test
    void trustThatExcludesTheIssuerFailsEvenForAGoodCertificate() throws Exception {
        int port = echoServer(serverContext(TestPki.Kind.SERVER_EC256, o -> o), new ArrayList<>());
        TlsContextOptions otherRootOnly = TlsContextOptions.client()
                .withTrustedCertificates(Files.readString(pki.untrustedRootCertificate()));
        Outcome outcome = connect("localhost", port, TlsConnectionOptions.of(clientContext(otherRootOnly)), 1);
        assertThat(outcome.error()).isEqualTo(IoError.TLS_ERROR_NEGOTIATION_FAILURE);
        assertThat(outcome.negotiation().failure().s2nError()).isEqualTo("S2N_ERR_CERT_UNTRUSTED");
    }

    @Test
    void rootsFromAFileOrAHashedDirectoryVerifyAServerReadFromFiles(@TempDir Path dir) throws Exception {
        TestPki.Credential credential = pki.credential(TestPki.Kind.SERVER_EC256);
        TlsContext fromFiles = resources.track(TlsContext.create(
                TlsContextOptions.serverFromFiles(credential.chain(), credential.privateKey())));
        int port = echoServer(fromFiles, new ArrayList<>());
        Path trusted = hashedDirectory(dir.resolve("trusted"), pki.rootCertificate());
        Path otherRoot = hashedDirectory(dir.resolve("other"), pki.untrustedRootCertificate());
        for (TlsContextOptions trusting : List.of(TlsContextOptions.client().withTrustFile(pki.rootCertificate()),
                TlsContextOptions.client().withTrustDirectory(trusted))) {
            Outcome outcome = connect("localhost", port, TlsConnectionOptions.of(clientContext(trusting)), 5);
            assertThat(outcome.error()).as(trusting.toString()).isNull();
            TestHandlers.write(outcome.slot(), "hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(outcome.collector().received.get(10, TimeUnit.SECONDS)).isEqualTo("hello".getBytes());
        }
        Outcome refused = connect("localhost", port,
                TlsConnectionOptions.of(clientContext(TlsContextOptions.client().withTrustDirectory(otherRoot))), 1);
        assertThat(refused.error()).isEqualTo(IoError.TLS_ERROR_NEGOTIATION_FAILURE);
        assertThat(refused.negotiation().failure().s2nError()).isEqualTo("S2N_ERR_CERT_UNTRUSTED");
    }

    @Test
    void aTrustFileThatIsMissingOrHoldsNoCertificateFailsTheContextNamingIt(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        for (Path file : List.of(dir.resolve("missing.pem"), garbage)) {
            assertThatThrownBy(() -> TlsContext.create(TlsContextOptions.client().withTrustFile(file)).close())
                    .as(file.toString()).isInstanceOf(IoErrorException.class)
                    .hasMessageContaining(file.toString())
                    .extracting(e -> ((IoErrorException) e).error()).isEqualTo(IoError.TLS_CTX_ERROR);
        }
    }

    /** A directory holding {@code root} under its subject hash, as {@code openssl rehash} names it. */
    private static Path hashedDirectory(Path directory, Path root) throws Exception {
        Process hash = new ProcessBuilder("openssl", "x509", "-hash", "-noout", "-in", root.toString())
                .redirectErrorStream(true).start();
        String name = new String(hash.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertThat(hash.waitFor()).as("openssl x509 -hash: " + name).isZero();
        Files.createDirectories(directory);
        Files.copy(root, directory.resolve(name + ".0"));
        return directory;
    }

    @Test
    void aServerThatNeverAnswersTimesTheNegotiationOut() throws Exception {
        // Back-pressure with no handler: a window of 0, so the server never reads the ClientHello.
        SocketListener silent = server.listen(ServerListenerOptions.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                SocketOptions.tcp(SocketDomain.IPV4), (channel, error) -> {}, null).withReadBackPressure(true));
        resources.track(silent::close);
        int port = ((InetSocketAddress) silent.localAddress()).getPort();
        long start = System.nanoTime();
        Outcome outcome = connect("localhost", port, TlsConnectionOptions.of(clientContext(trustingTheTestRoot()))
                .withNegotiationTimeout(Duration.ofMillis(300)), 1);
        assertThat(outcome.error()).isEqualTo(IoError.TLS_NEGOTIATION_TIMEOUT);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(outcome.negotiation().failure().message()).contains("300 ms");
    }

    @Test
    void aServerClosingMidHandshakeFailsItAtOnce() throws Exception {
        SocketListener closing = server.listen(ServerListenerOptions.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                SocketOptions.tcp(SocketDomain.IPV4), (channel, error) -> {
                    if (channel != null) {
                        channel.shutdown(null);
                    }
                }, null));
        resources.track(closing::close);
        int port = ((InetSocketAddress) closing.localAddress()).getPort();
        Outcome outcome = connect("localhost", port, TlsConnectionOptions.of(clientContext(trustingTheTestRoot())), 1);
        assertThat(outcome.error()).isIn(IoError.TLS_ERROR_NEGOTIATION_FAILURE, IoError.SOCKET_CLOSED);
        assertThat(outcome.negotiation().succeeded()).isFalse();
    }

    @Test
    void mutualTlsRequiresTheClientsCertificate() throws Exception {
        List<TlsNegotiation> serverSide = new java.util.concurrent.CopyOnWriteArrayList<>();
        String root = Files.readString(pki.rootCertificate());
        int port = echoServer(serverContext(TestPki.Kind.SERVER_EC256,
                o -> o.withClientAuth(ClientAuth.REQUIRED).withTrustedCertificates(root)), serverSide);
        TestPki.Credential clientCredential = pki.credential(TestPki.Kind.CLIENT);

        Outcome withCertificate = connect("localhost", port, TlsConnectionOptions.of(clientContext(trustingTheTestRoot()
                .withCertificate(clientCredential.chainPem(), clientCredential.privateKeyPem()))), 2);
        assertThat(withCertificate.error()).isNull();
        TestHandlers.write(withCertificate.slot(), "ok".getBytes(StandardCharsets.US_ASCII));
        assertThat(withCertificate.collector().received.get(10, TimeUnit.SECONDS)).isEqualTo("ok".getBytes());
        assertThat(awaitNegotiation(serverSide, 0).peerCertificates().get(0).getSubjectX500Principal().getName())
                .contains("reseau-client");

        // TLS 1.3: the client finishes its side before the server refuses it, so the server's verdict
        // is what is checked here (the client's, from the server's alert: SSLSocketFailureTest).
        connect("localhost", port, TlsConnectionOptions.of(clientContext(trustingTheTestRoot())), 1);
        TlsNegotiation refused = awaitNegotiation(serverSide, 1);
        assertThat(refused.succeeded()).as("the server refused the client without a certificate").isFalse();
        assertThat(refused.failure().s2nError()).isEqualTo("S2N_ERR_MISSING_CLIENT_CERT");
    }

    /** The {@code index}th outcome a server recorded: a TLS 1.3 server may finish after its client. */
    private static TlsNegotiation awaitNegotiation(List<TlsNegotiation> outcomes, int index) throws InterruptedException {
        assertThat(Polling.until(outcomes::size, size -> size > index)).as("server-side handshakes").isGreaterThan(index);
        return outcomes.get(index);
    }

    @Test
    void postQuantumOnBothSidesAgreesOnMlKem() throws Exception {
        List<TlsNegotiation> serverSide = new java.util.concurrent.CopyOnWriteArrayList<>();
        int port = echoServer(serverContext(TestPki.Kind.SERVER_EC256, o -> o.withPostQuantum(true)),
                serverSide);
        Outcome outcome = connect("localhost", port,
                TlsConnectionOptions.of(clientContext(trustingTheTestRoot().withPostQuantum(true))), 1);
        assertThat(outcome.error()).isNull();
        assertThat(outcome.negotiation().keyExchangeGroup()).isEqualTo("X25519MLKEM768");
        assertThat(awaitNegotiation(serverSide, 0).keyExchangeGroup()).isEqualTo("X25519MLKEM768");
    }

    @Test
    void aReseauClientTalksToOpensslServersOverTls12And13() throws Exception {
        for (String version : List.of("TLSv1.2", "TLSv1.3")) {
            try (OpenSslPeer openssl = OpenSslPeer.server(OpenSslPeer.ServerOptions.of(pki.credential(TestPki.Kind.SERVER_RSA))
                    .withProtocols(version, version).withAlpn("h2"))) {
                Outcome outcome = connect("localhost", openssl.port(),
                        TlsConnectionOptions.of(clientContext(trustingTheTestRoot().withAlpn("h2", "http/1.1"))), 11);
                assertThat(outcome.error()).as(version).isNull();
                assertThat(outcome.negotiation().version().javaName()).isEqualTo(version);
                assertThat(outcome.negotiation().applicationProtocol()).isEqualTo("h2");
                TestHandlers.write(outcome.slot(), "hello, tls\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(outcome.collector().received.get(10, TimeUnit.SECONDS)).as("echoed by openssl")
                        .isEqualTo("hello, tls\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void anOpensslClientVerifiesAReseauServerAndItsSniArrives() throws Exception {
        List<TlsNegotiation> serverSide = new java.util.concurrent.CopyOnWriteArrayList<>();
        int port = echoServer(serverContext(TestPki.Kind.SERVER_EC256, o -> o.withAlpn("h2")), serverSide);
        OpenSslPeer.ClientResult result = OpenSslPeer.client(OpenSslPeer.ClientOptions.connect(port).withServerName("localhost")
                .withCaFile(pki.rootCertificate()).withAlpn("h2").withInput("ping\n"));
        assertThat(result.output()).contains("Verify return code: 0 (ok)").contains("ALPN protocol: h2").contains("TLSv1.3");
        assertThat(result.output()).as("the echo came back through TLS").contains("ping");
        assertThat(awaitNegotiation(serverSide, 0).serverName()).isEqualTo("localhost");
    }

    @Test
    void tls10And11AreRefusedByDefault() throws Exception {
        int port = echoServer(serverContext(TestPki.Kind.SERVER_RSA, o -> o), new ArrayList<>());
        for (String old : List.of("TLSv1", "TLSv1.1")) {
            OpenSslPeer.ClientResult result = OpenSslPeer.client(OpenSslPeer.ClientOptions.connect(port)
                    .withServerName("localhost").withCaFile(pki.rootCertificate()).withProtocols(old, old)
                    .withExtraArgs("-cipher", "DEFAULT@SECLEVEL=0"));
            assertThat(result.output()).as(old).contains("Cipher is (NONE)").contains("alert protocol version");
        }
    }
}
