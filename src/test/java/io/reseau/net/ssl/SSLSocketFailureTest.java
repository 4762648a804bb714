package io.reseau.net.ssl;

import static io.reseau.net.ssl.SslSockets.server;
import static io.reseau.net.ssl.SslSockets.RESEAU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.testing.OpenSslPeer;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
     * What {@code step} throws on a Reseau server that requires a client certificate, when a
     * Reseau client without one connects (null if it throws nothing).
     */
    private static Throwable failureOfAServerRequiringClientCertificates(ServerStep step) throws Exception {
        try (SSLServerSocket server = server(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
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
                client.getOutputStream().write(1); // TLS 1.3: the client's part of the handshake ends first
                return serverFailure.get(20, TimeUnit.SECONDS);
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

    private static SSLSocket httpsClient(SSLContext context, int port) throws IOException {
        SSLSocket client = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        client.setSSLParameters(parameters);
        return client;
    }

    @Test
    void badServerCertificatesAreRefusedWithTheirReason() throws Exception {
        record Case(Kind kind, String reason) {}
        for (Case c : List.of(new Case(Kind.EXPIRED, "S2N_ERR_CERT_EXPIRED"),
                new Case(Kind.SELF_SIGNED, "S2N_ERR_CERT_UNTRUSTED"),
                new Case(Kind.UNTRUSTED_ROOT, "S2N_ERR_CERT_UNTRUSTED"),
                new Case(Kind.WRONG_HOST, "No subject alternative DNS name matching localhost"))) {
            try (OpenSslPeer server = OpenSslPeer.server(OpenSslPeer.ServerOptions.of(pki.credential(c.kind())));
                    SSLSocket client = httpsClient(pki.clientContext(null, RESEAU), server.port())) {
                assertThatThrownBy(client::startHandshake).as(c.kind().name())
                        .isInstanceOf(SSLHandshakeException.class).hasMessageContaining(c.reason());
                assertThat(client.getSession().isValid()).as(c.kind().name()).isFalse();
                assertThatThrownBy(() -> client.getOutputStream().write(1)).as("later I/O fails too")
                        .isInstanceOf(SSLHandshakeException.class);
            }
        }
    }

    @Test
    void aTrustStoreWithoutTheIssuerRefusesAGoodCertificate() throws Exception {
        KeyStore otherRootOnly = KeyStore.getInstance("PKCS12");
        otherRootOnly.load(null, null);
        otherRootOnly.setCertificateEntry("other", TestPki.certificates(pki.untrustedRootCertificate()).getFirst());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(otherRootOnly);
        SSLContext context = SSLContext.getInstance("TLS", RESEAU);
        context.init(null, trust.getTrustManagers(), null);
        try (SSLServerSocket server = server(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            Thread.ofVirtual().start(() -> drain(server));
            try (SSLSocket client = httpsClient(context, server.getLocalPort())) {
                assertThatThrownBy(client::startHandshake).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("S2N_ERR_CERT_UNTRUSTED");
            }
        }
    }

    @Test
    void aServerRequiringClientCertificatesRefusesAClientWithout() throws Exception {
        assertThat(failureOfAServerRequiringClientCertificates(SSLSocket::startHandshake))
                .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("S2N_ERR_MISSING_CLIENT_CERT");
    }

    @Test
    void aServerClosingMidHandshakeFailsItAtOnce() throws Exception {
        try (ServerSocket closing = hangingUpAfterTheFirstByte()) {
            try (SSLSocket client = httpsClient(pki.clientContext(null, RESEAU), closing.getLocalPort())) {
                assertThatThrownBy(client::startHandshake).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("closed");
            }
        }
    }

    @Test
    void aSilentServerTimesTheHandshakeOutUnderSoTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                SSLSocket client = httpsClient(pki.clientContext(null, RESEAU), silent.getLocalPort())) {
            client.setSoTimeout(300);
            assertThatThrownBy(client::startHandshake).isInstanceOf(SocketTimeoutException.class);
            assertThat(client.isClosed()).as("a handshake cut short leaves nothing usable").isTrue();
        }
    }

    // A first read does not wait for the handshake but for the first plaintext: what the handshake
    // ends with must still reach it as startHandshake reports it.

    @Test
    void aServersFirstReadReportsTheHandshakesFailure() throws Exception {
        assertThat(failureOfAServerRequiringClientCertificates(accepted -> {
            throw new AssertionError("read returned " + accepted.getInputStream().read());
        })).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("S2N_ERR_MISSING_CLIENT_CERT");
    }

    @Test
    void aFirstReadOnAConnectionClosedMidHandshakeFailsTheHandshake() throws Exception {
        try (ServerSocket closing = hangingUpAfterTheFirstByte()) {
            try (SSLSocket client = httpsClient(pki.clientContext(null, RESEAU), closing.getLocalPort())) {
                assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("closed");
                assertThat(client.getSession().isValid()).isFalse();
            }
        }
    }

    @Test
    void aFirstReadTimesTheHandshakeOutUnderSoTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                SSLSocket client = httpsClient(pki.clientContext(null, RESEAU), silent.getLocalPort())) {
            client.setSoTimeout(300);
            assertThatThrownBy(() -> client.getInputStream().read(new byte[8])).isInstanceOf(SocketTimeoutException.class);
            assertThat(client.isClosed()).as("a handshake cut short leaves nothing usable").isTrue();
        }
    }

    @Test
    void tls10And11AreRefusedByDefault() throws Exception {
        for (String old : List.of("TLSv1", "TLSv1.1")) {
            try (OpenSslPeer server = OpenSslPeer.server(OpenSslPeer.ServerOptions.of(pki.credential(Kind.SERVER_RSA))
                    .withProtocols(old, old).withExtraArgs("-cipher", "DEFAULT@SECLEVEL=0"));
                    SSLSocket client = httpsClient(pki.clientContext(null, RESEAU), server.port())) {
                assertThatThrownBy(client::startHandshake).as(old).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("S2N_ERR");
            }
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
