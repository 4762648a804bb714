package io.reseau.net.ssl;

import static io.reseau.net.ssl.SslSockets.server;
import static io.reseau.net.ssl.SslSockets.RESEAU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.net.ssl.SslSockets.Transport;
import io.reseau.testing.OpenSslPeer;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Handshakes a Reseau SSLSocket must refuse, each with a clear SSLHandshakeException and no hang. */
@Timeout(60)
class SSLSocketFailureTest {
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    private interface ServerStep {
        void run(SSLSocket accepted) throws IOException;
    }

    /**
     * What {@code step} throws on a Reseau server over {@code transport} that requires a client
     * certificate, when a Reseau client without one connects (null if it throws nothing).
     */
    private static Throwable failureOfAServerRequiringClientCertificates(Transport transport, ServerStep step) throws Exception {
        try (SSLServerSocket server = transport.listen(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            server.setNeedClientAuth(true);
            CompletableFuture<Throwable> serverFailure = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    step.run(accepted);
                    serverFailure.complete(null);
                } catch (Throwable t) {
                    serverFailure.complete(t);
                }
            });
            try (SSLSocket client = (SSLSocket) pki.clientContext(null, RESEAU).getSocketFactory()
                    .createSocket("localhost", server.getLocalPort())) {
                client.startHandshake(); // TLS 1.3: the client's part of the handshake ends first
                return serverFailure.get(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * What a JSSE client without a certificate, limited to {@code protocol}, gets from a server of
     * {@code serverContext} over {@code transport} requiring one: reads give up after a second.
     */
    private static IOException refusalOfAJsseClientWithoutCertificate(Transport transport, SSLContext serverContext,
            String protocol) throws Exception {
        try (SSLServerSocket server = transport.listen(serverContext)) {
            server.setNeedClientAuth(true);
            Thread.ofVirtual().start(() -> drain(server));
            try (SSLSocket client = (SSLSocket) pki.jsseClientContext().getSocketFactory()
                    .createSocket("localhost", server.getLocalPort())) {
                client.setEnabledProtocols(new String[] {protocol});
                client.setSoTimeout(1_000);
                client.startHandshake(); // TLS 1.3: the client's part ends before the server reads its empty certificate
                throw new AssertionError("read " + client.getInputStream().read() + " from a server that requires a certificate");
            } catch (IOException e) {
                return e;
            }
        }
    }

    /** A plain server that takes one connection, reads the ClientHello's first byte and hangs up. */
    private static ServerSocket hangingUpAfterTheFirstByte() throws IOException {
        ServerSocket closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try (Socket accepted = closing.accept()) {
                accepted.getInputStream().read();
            } catch (IOException e) {
                // the test fails on the client side if this goes wrong
            }
        });
        return closing;
    }

    private static SSLSocket httpsClient(Transport transport, SSLContext context, int port) throws IOException {
        SSLSocket client = transport.connect(context, "localhost", port);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        client.setSSLParameters(parameters);
        return client;
    }

    @ParameterizedTest(name = "Reseau client {0}")
    @EnumSource(Transport.class)
    void badServerCertificatesAreRefusedWithTheirReason(Transport transport) throws Exception {
        record Case(Kind kind, String reason) {}
        for (Case c : List.of(new Case(Kind.EXPIRED, "S2N_ERR_CERT_EXPIRED"),
                new Case(Kind.SELF_SIGNED, "S2N_ERR_CERT_UNTRUSTED"),
                new Case(Kind.UNTRUSTED_ROOT, "S2N_ERR_CERT_UNTRUSTED"),
                new Case(Kind.WRONG_HOST, "No subject alternative DNS name matching localhost"))) {
            try (OpenSslPeer server = OpenSslPeer.server(OpenSslPeer.ServerOptions.of(pki.credential(c.kind())));
                    SSLSocket client = httpsClient(transport, pki.clientContext(null, RESEAU), server.port())) {
                assertThatThrownBy(client::startHandshake).as(c.kind().name())
                        .isInstanceOf(SSLHandshakeException.class).hasMessageContaining(c.reason());
                assertThat(client.getSession().isValid()).as(c.kind().name()).isFalse();
                assertThatThrownBy(() -> client.getOutputStream().write(1)).as("later I/O fails too")
                        .isInstanceOf(SSLHandshakeException.class);
            }
        }
    }

    @ParameterizedTest(name = "Reseau client {0}")
    @EnumSource(Transport.class)
    void aTrustStoreWithoutTheIssuerRefusesAGoodCertificate(Transport transport) throws Exception {
        KeyStore otherRootOnly = KeyStore.getInstance("PKCS12");
        otherRootOnly.load(null, null);
        otherRootOnly.setCertificateEntry("other", TestPki.certificates(pki.untrustedRootCertificate()).getFirst());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(otherRootOnly);
        SSLContext context = SSLContext.getInstance("TLS", RESEAU);
        context.init(null, trust.getTrustManagers(), null);
        try (SSLServerSocket server = server(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            Thread.ofVirtual().start(() -> drain(server));
            try (SSLSocket client = httpsClient(transport, context, server.getLocalPort())) {
                assertThatThrownBy(client::startHandshake).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("S2N_ERR_CERT_UNTRUSTED");
            }
        }
    }

    @ParameterizedTest(name = "Reseau server {0}")
    @EnumSource(Transport.class)
    void aServerRequiringClientCertificatesRefusesAClientWithout(Transport transport) throws Exception {
        assertThat(failureOfAServerRequiringClientCertificates(transport, SSLSocket::startHandshake))
                .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("S2N_ERR_MISSING_CLIENT_CERT");
    }

    private static SSLContext serverContext(String provider) {
        return pki.serverContext(Kind.SERVER_EC256, SslSockets.provider(provider));
    }

    @ParameterizedTest(name = "{0} server {1}")
    @MethodSource("io.reseau.net.ssl.SslSockets#stacks")
    void aJsseClientWithoutTheRequiredCertificateHearsTheAlertWithinASecondAsFromJsse(String provider, Transport transport)
            throws Exception {
        assertThat(refusalOfAJsseClientWithoutCertificate(transport, serverContext(provider), "TLSv1.3"))
                .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("certificate_required");
    }

    @ParameterizedTest(name = "{0} server {1}")
    @MethodSource("io.reseau.net.ssl.SslSockets#stacks")
    void overTls12AJsseClientWithoutTheRequiredCertificateFailsWithinASecondAsAgainstJsse(String provider, Transport transport)
            throws Exception {
        // The server refuses amid the client's flight: the client hears it from the alert, or (against
        // JSSE too) from a write that the server's close breaks; not from its read timing out.
        assertThat(refusalOfAJsseClientWithoutCertificate(transport, serverContext(provider), "TLSv1.2"))
                .isNotInstanceOf(SocketTimeoutException.class);
    }

    @ParameterizedTest(name = "Reseau server {0}")
    @EnumSource(Transport.class)
    void openSslClientsWithoutTheRequiredCertificateHearTheAlertAtOnce(Transport transport) throws Exception {
        record Case(String protocol, String cipherSuite, String alert) {}
        try (SSLServerSocket server = transport.listen(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            server.setNeedClientAuth(true);
            Thread.ofVirtual().start(() -> drainAll(server));
            // Each TLS 1.3 cipher suite protects the alert with keys of its own.
            for (Case c : List.of(new Case("TLSv1.3", "TLS_AES_128_GCM_SHA256", "alert certificate required"),
                    new Case("TLSv1.3", "TLS_AES_256_GCM_SHA384", "alert certificate required"),
                    new Case("TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256", "alert certificate required"),
                    new Case("TLSv1.2", "TLS_AES_128_GCM_SHA256", "alert handshake failure"))) {
                OpenSslPeer.ClientResult result = OpenSslPeer.client(OpenSslPeer.ClientOptions.connect(server.getLocalPort())
                        .withCaFile(pki.rootCertificate()).withProtocols(c.protocol(), c.protocol())
                        .withExtraArgs("-ciphersuites", c.cipherSuite()).withTimeout(Duration.ofSeconds(5)));
                assertThat(result.timedOut()).as(c + ": s_client waited for the server's verdict; it said:\n" + result.output())
                        .isFalse();
                assertThat(result.output()).as(c.toString()).contains(c.alert());
            }
        }
    }

    @ParameterizedTest(name = "both {0}")
    @EnumSource(Transport.class)
    void aReseauClientWithoutTheRequiredCertificateHearsTheAlertWithinASecond(Transport transport) throws Exception {
        try (SSLServerSocket server = transport.listen(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            server.setNeedClientAuth(true);
            Thread.ofVirtual().start(() -> drain(server));
            try (SSLSocket client = transport.connect(pki.clientContext(null, RESEAU), "localhost", server.getLocalPort())) {
                client.setSoTimeout(1_000);
                client.startHandshake();
                assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SSLException.class)
                        .hasMessageContaining("alert 116");
            }
        }
    }

    @ParameterizedTest(name = "Reseau client {0}")
    @EnumSource(Transport.class)
    void aServerClosingMidHandshakeFailsItAtOnce(Transport transport) throws Exception {
        try (ServerSocket closing = hangingUpAfterTheFirstByte()) {
            try (SSLSocket client = httpsClient(transport, pki.clientContext(null, RESEAU), closing.getLocalPort())) {
                assertThatThrownBy(client::startHandshake).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("closed");
            }
        }
    }

    @ParameterizedTest(name = "Reseau client {0}")
    @EnumSource(Transport.class)
    void aSilentServerTimesTheHandshakeOutUnderSoTimeout(Transport transport) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                SSLSocket client = httpsClient(transport, pki.clientContext(null, RESEAU), silent.getLocalPort())) {
            client.setSoTimeout(300);
            assertThatThrownBy(client::startHandshake).isInstanceOf(SocketTimeoutException.class);
            assertThat(client.isClosed()).as("a handshake cut short leaves nothing usable").isTrue();
        }
    }

    // A first read does not wait for the handshake but for the first plaintext: what the handshake
    // ends with must still reach it as startHandshake reports it.

    @ParameterizedTest(name = "Reseau server {0}")
    @EnumSource(Transport.class)
    void aServersFirstReadReportsTheHandshakesFailure(Transport transport) throws Exception {
        assertThat(failureOfAServerRequiringClientCertificates(transport, accepted -> {
            throw new AssertionError("read returned " + accepted.getInputStream().read());
        })).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("S2N_ERR_MISSING_CLIENT_CERT");
    }

    @ParameterizedTest(name = "Reseau client {0}")
    @EnumSource(Transport.class)
    void aFirstReadOnAConnectionClosedMidHandshakeFailsTheHandshake(Transport transport) throws Exception {
        try (ServerSocket closing = hangingUpAfterTheFirstByte()) {
            try (SSLSocket client = httpsClient(transport, pki.clientContext(null, RESEAU), closing.getLocalPort())) {
                assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("closed");
                assertThat(client.getSession().isValid()).isFalse();
            }
        }
    }

    @ParameterizedTest(name = "Reseau client {0}")
    @EnumSource(Transport.class)
    void aFirstReadTimesTheHandshakeOutUnderSoTimeout(Transport transport) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                SSLSocket client = httpsClient(transport, pki.clientContext(null, RESEAU), silent.getLocalPort())) {
            client.setSoTimeout(300);
            assertThatThrownBy(() -> client.getInputStream().read(new byte[8])).isInstanceOf(SocketTimeoutException.class);
            assertThat(client.isClosed()).as("a handshake cut short leaves nothing usable").isTrue();
        }
    }

    @ParameterizedTest(name = "Reseau client {0}")
    @EnumSource(Transport.class)
    void tls10And11AreRefusedByDefault(Transport transport) throws Exception {
        for (String old : List.of("TLSv1", "TLSv1.1")) {
            try (OpenSslPeer server = OpenSslPeer.server(OpenSslPeer.ServerOptions.of(pki.credential(Kind.SERVER_RSA))
                    .withProtocols(old, old).withExtraArgs("-cipher", "DEFAULT@SECLEVEL=0"));
                    SSLSocket client = httpsClient(transport, pki.clientContext(null, RESEAU), server.port())) {
                assertThatThrownBy(client::startHandshake).as(old).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("S2N_ERR");
            }
        }
    }

    private static void drainAll(ServerSocket server) {
        while (!server.isClosed()) {
            drain(server);
        }
    }

    private static void drain(ServerSocket server) {
        try (Socket accepted = server.accept()) {
            accepted.getInputStream().read();
        } catch (IOException expected) {
            // the client refuses the handshake
        }
    }
}
