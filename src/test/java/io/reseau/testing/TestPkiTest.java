package io.reseau.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.testing.OpenSslPeer.ClientAuth;
import io.reseau.testing.OpenSslPeer.ClientOptions;
import io.reseau.testing.OpenSslPeer.ClientResult;
import io.reseau.testing.OpenSslPeer.ServerOptions;
import io.reseau.testing.TestPki.Credential;
import io.reseau.testing.TestPki.Kind;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TestPki and OpenSslPeer, proven against the JDK's own TLS. */
@Timeout(60)
class TestPkiTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;

    @TempDir
    static Path dir;
    private static TestPki pki;

    @BeforeAll
    static void generate() {
        pki = TestPki.generate(dir);
    }

    @AfterEach
    void noOpenSslOutlivesItsTest() {
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("openssl"))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList()).isEmpty();
    }

    @Test
    void theRootAndTheIntermediateAreCas() throws Exception {
        X509Certificate root = only(pki.rootCertificate());
        X509Certificate intermediate = chain(Kind.SERVER_EC256).get(1);
        assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=Reseau Test Root");
        assertThat(((RSAPublicKey) root.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        root.verify(root.getPublicKey());
        assertThat(intermediate.getSubjectX500Principal().getName()).isEqualTo("CN=Reseau Test Intermediate");
        intermediate.verify(root.getPublicKey());
        for (X509Certificate ca : List.of(root, intermediate)) {
            assertThat(ca.getBasicConstraints()).isNotNegative();
            assertThat(ca.getKeyUsage()[KEY_CERT_SIGN]).isTrue();
            assertThat(ca.getKeyUsage()[CRL_SIGN]).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"SERVER_RSA", "SERVER_EC256", "SERVER_EC384"})
    void serverCredentialsAreForLocalhostAndChainToTheRoot(Kind kind) throws Exception {
        List<X509Certificate> chain = chain(kind);
        X509Certificate leaf = chain.getFirst();
        assertThat(chain).hasSize(2);
        assertThat(only(pki.credential(kind).certificate())).isEqualTo(leaf);
        leaf.verify(chain.get(1).getPublicKey());
        assertThat(leaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        int bits = switch (leaf.getPublicKey()) {
            case RSAPublicKey rsa -> rsa.getModulus().bitLength();
            case ECPublicKey ec -> ec.getParams().getCurve().getField().getFieldSize();
            default -> 0;
        };
        assertThat(bits).isEqualTo(switch (kind) {
            case SERVER_RSA -> 2048;
            case SERVER_EC256 -> 256;
            default -> 384;
        });
    }

    @Test
    void eachFailureCaseIsWrongInOneWayOnly() throws Exception {
        X509Certificate intermediate = chain(Kind.SERVER_EC256).get(1);
        X509Certificate expired = only(pki.credential(Kind.EXPIRED).certificate());
        assertThat(expired.getNotAfter()).isBefore(new Date());
        assertThat(expired.getNotBefore()).isBefore(expired.getNotAfter());
        expired.verify(intermediate.getPublicKey());

        X509Certificate wrongHost = only(pki.credential(Kind.WRONG_HOST).certificate());
        assertThat(wrongHost.getSubjectAlternativeNames()).containsExactly(List.of(2, "wrong.example"));
        wrongHost.verify(intermediate.getPublicKey());

        X509Certificate selfSigned = only(pki.credential(Kind.SELF_SIGNED).certificate());
        assertThat(selfSigned.getIssuerX500Principal()).isEqualTo(selfSigned.getSubjectX500Principal());
        selfSigned.verify(selfSigned.getPublicKey());

        X509Certificate untrustedRoot = only(pki.untrustedRootCertificate());
        X509Certificate untrusted = only(pki.credential(Kind.UNTRUSTED_ROOT).certificate());
        assertThat(untrusted.getIssuerX500Principal()).isEqualTo(untrustedRoot.getSubjectX500Principal());
        untrusted.verify(untrustedRoot.getPublicKey());

        for (Kind kind : List.of(Kind.EXPIRED, Kind.SELF_SIGNED, Kind.UNTRUSTED_ROOT)) {
            assertThat(chain(kind).getFirst().getSubjectAlternativeNames()).as(kind.name())
                    .contains(List.of(2, "localhost"));
        }
    }

    @Test
    void theClientCredentialIsForClientAuthentication() throws Exception {
        List<X509Certificate> chain = chain(Kind.CLIENT);
        assertThat(chain).hasSize(2);
        assertThat(chain.getFirst().getSubjectX500Principal().getName()).isEqualTo("CN=reseau-client");
        assertThat(chain.getFirst().getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        chain.getFirst().verify(chain.get(1).getPublicKey());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void keysArePkcs8AndMatchTheirCertificates(Kind kind) throws Exception {
        Credential credential = pki.credential(kind);
        assertThat(credential.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(credential.chainPem()).startsWith(credential.certificatePem());
        KeyStore store = pki.keyStore(kind);
        String alias = store.aliases().nextElement();
        PrivateKey key = (PrivateKey) store.getKey(alias, TestPki.keyStorePassword());
        assertThat(store.getCertificateChain(alias)).hasSize(chain(kind).size());
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(chain(kind).getFirst());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"SERVER_RSA", "SERVER_EC256", "SERVER_EC384"})
    void aJsseClientCompletesTls13WithOpenSslAndGetsAnExactEcho(Kind kind) throws Exception {
        ServerOptions options = ServerOptions.of(pki.credential(kind)).withProtocols("TLSv1.3", "TLSv1.3")
                .withConnections(1);
        try (OpenSslPeer server = OpenSslPeer.server(options)) {
            byte[] data = new byte[256 * 1024];
            new Random(7).nextBytes(data);
            try (SSLSocket client = connect(pki.jsseClientContext(), server.port())) {
                client.startHandshake();
                assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
                assertThat(client.getSession().getPeerCertificates()).extracting(c ->
                        ((X509Certificate) c).getSubjectX500Principal().getName())
                        .containsExactly("CN=localhost", "CN=Reseau Test Intermediate");
                assertThat(exchange(client, data)).isEqualTo(data);
            }
            assertThat(server.awaitOutput("Ciphersuite: ")).contains("Protocol version: TLSv1.3");
            server.awaitExit(Duration.ofSeconds(10));
            assertThat(server.requestedServerNames()).containsExactly("localhost");
            assertThat(server.trace()).contains("ClientHello");
        }
    }

    @Test
    void theServerCanSpeakFirst() throws Exception {
        try (OpenSslPeer server = OpenSslPeer.server(ServerOptions.of(pki.credential(Kind.SERVER_EC256)));
             SSLSocket client = connect(pki.jsseClientContext(), server.port())) {
            client.startHandshake();
            server.awaitOutput("Ciphersuite: ");
            server.send("hello\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.getInputStream().readNBytes(6)).isEqualTo("hello\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void protocolBoundsReachTheServer() throws Exception {
        ServerOptions options = ServerOptions.of(pki.credential(Kind.SERVER_RSA)).withProtocols("TLSv1.2", "TLSv1.2");
        try (OpenSslPeer server = OpenSslPeer.server(options);
             SSLSocket client = connect(pki.jsseClientContext(), server.port())) {
            client.startHandshake();
            assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(server.awaitOutput("Ciphersuite: ")).contains("Protocol version: TLSv1.2");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"EXPIRED", "WRONG_HOST", "SELF_SIGNED", "UNTRUSTED_ROOT"})
    void aJsseClientRejectsTheFailureCases(Kind kind) {
        try (OpenSslPeer server = OpenSslPeer.server(ServerOptions.of(pki.credential(kind)).withConnections(1))) {
            String reason = switch (kind) {
                case EXPIRED -> "validity check failed";
                case WRONG_HOST -> "No subject alternative DNS name matching localhost found";
                default -> "unable to find valid certification path to requested target";
            };
            assertThatThrownBy(() -> {
                try (SSLSocket client = connect(pki.jsseClientContext(), server.port())) {
                    client.startHandshake();
                }
            }).isInstanceOf(SSLHandshakeException.class).hasStackTraceContaining(reason);
        }
    }

    @Test
    void theWrongHostPassesWithoutHostnameVerification() throws Exception {
        try (OpenSslPeer server = OpenSslPeer.server(ServerOptions.of(pki.credential(Kind.WRONG_HOST)));
             SSLSocket client = connect(pki.jsseClientContext(), server.port(), null)) {
            client.startHandshake();
            assertThat(client.getSession().getPeerPrincipal().getName()).isEqualTo("CN=wrong.example");
        }
    }

    @Test
    void mutualTlsWithTheClientCredential() throws Exception {
        ServerOptions options = ServerOptions.of(pki.credential(Kind.SERVER_EC256))
                .withClientAuth(ClientAuth.REQUIRE, pki.rootCertificate());
        try (OpenSslPeer server = OpenSslPeer.server(options);
             SSLSocket client = connect(pki.jsseClientContext(Kind.CLIENT), server.port())) {
            assertThat(exchange(client, "ping".getBytes(StandardCharsets.US_ASCII))).asString().isEqualTo("ping");
            assertThat(server.awaitOutput("Verification: OK")).contains("Peer certificate: CN = reseau-client");
        }
    }

    @Test
    void aRequiredClientCertificateIsRequired() throws Exception {
        ServerOptions options = ServerOptions.of(pki.credential(Kind.SERVER_EC256))
                .withClientAuth(ClientAuth.REQUIRE, pki.rootCertificate()).withConnections(1);
        try (OpenSslPeer server = OpenSslPeer.server(options);
             SSLSocket client = connect(pki.jsseClientContext(), server.port())) {
            // TLS 1.3: the client's handshake ends before the server has judged its (empty) certificate
            client.startHandshake();
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SSLException.class)
                    .hasMessageContaining("certificate_required");
        }
    }

    @Test
    void openSslClientVerifiesAJsseServerAndNegotiatesAlpn() throws Exception {
        try (SSLServerSocket listener = listen(pki.jsseServerContext(Kind.SERVER_RSA))) {
            SSLParameters parameters = listener.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            listener.setSSLParameters(parameters);
            CompletableFuture<Served> served = async(() -> serveOne(listener));

            ClientResult result = OpenSslPeer.client(ClientOptions.connect(listener.getLocalPort())
                    .withCaFile(pki.rootCertificate()).withAlpn("h2").withInput("ping\n"));

            assertThat(result.timedOut()).isFalse();
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("Verify return code: 0 (ok)", "ALPN protocol: h2",
                    "New, TLSv1.3, Cipher is TLS_", "pong");
            Served server = served.get(10, TimeUnit.SECONDS);
            assertThat(server).isEqualTo(new Served("ping", "h2", List.of("localhost"), null));
        }
    }

    @Test
    void openSslClientPresentsItsCredential() throws Exception {
        try (SSLServerSocket listener = listen(pki.jsseServerContext(Kind.SERVER_EC384))) {
            listener.setNeedClientAuth(true);
            CompletableFuture<Served> served = async(() -> serveOne(listener));

            ClientResult result = OpenSslPeer.client(ClientOptions.connect(listener.getLocalPort())
                    .withCaFile(pki.rootCertificate()).withCredential(pki.credential(Kind.CLIENT))
                    .withProtocols("TLSv1.2", "TLSv1.2").withInput("ping\n"));

            assertThat(result.output()).contains("Verify return code: 0 (ok)", "New, TLSv1.2, Cipher is ",
                    "No ALPN negotiated", "pong");
            assertThat(served.get(10, TimeUnit.SECONDS).clientCertificate()).isEqualTo("CN=reseau-client");
        }
    }

    private record Served(String received, String applicationProtocol, List<String> serverNames,
                          String clientCertificate) {}

    /** Accepts one connection, reads a line, answers "pong", and describes what it saw. */
    private static Served serveOne(SSLServerSocket listener) throws Exception {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            socket.getOutputStream().write("pong\n".getBytes(StandardCharsets.US_ASCII));
            ExtendedSSLSession session = (ExtendedSSLSession) socket.getSession();
            return new Served(line, socket.getApplicationProtocol().isEmpty() ? null : socket.getApplicationProtocol(),
                    session.getRequestedServerNames().stream().map(n -> ((SNIHostName) n).getAsciiName()).toList(),
                    socket.getNeedClientAuth() ? session.getPeerPrincipal().getName() : null);
        }
    }

    private static SSLServerSocket listen(SSLContext context) throws Exception {
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    }

    /**
     * A client for localhost on 127.0.0.1, verifying the host name like HTTPS. The SNI is set by
     * hand: JSSE sends none for a name without a dot, such as localhost.
     */
    private static SSLSocket connect(SSLContext context, int port) throws Exception {
        return connect(context, port, "HTTPS");
    }

    private static SSLSocket connect(SSLContext context, int port, String endpointIdentification) throws Exception {
        Socket plain = new Socket(InetAddress.getByName("127.0.0.1"), port);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", port, true);
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(endpointIdentification);
        parameters.setServerNames(List.of(new SNIHostName("localhost")));
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** Sends {@code data} while reading as many bytes back: writing all first could fill both directions' buffers. */
    private static byte[] exchange(SSLSocket socket, byte[] data) throws Exception {
        CompletableFuture<Void> sent = async(() -> {
            socket.getOutputStream().write(data);
            socket.getOutputStream().flush();
            return null;
        });
        byte[] received = socket.getInputStream().readNBytes(data.length);
        sent.get(10, TimeUnit.SECONDS);
        return received;
    }

    private static <T> CompletableFuture<T> async(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static List<X509Certificate> chain(Kind kind) {
        return TestPki.certificates(pki.credential(kind).chain());
    }

    private static X509Certificate only(Path pem) {
        List<X509Certificate> certificates = TestPki.certificates(pem);
        assertThat(certificates).hasSize(1);
        return certificates.getFirst();
    }
}
