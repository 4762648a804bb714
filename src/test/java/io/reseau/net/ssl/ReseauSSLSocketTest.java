package io.reseau.net.ssl;

import static io.reseau.net.ssl.SslSockets.RESEAU;
import static org.assertj.core.api.Assertions.assertThat;
import static io.reseau.net.ssl.SslSockets.echoOnce;
import static io.reseau.net.ssl.SslSockets.roundTrip;
import static io.reseau.net.ssl.SslSockets.server;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.net.ssl.SslSockets.Transport;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
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

/** Reseau's SSLSocket and SSLServerSocket against each other and against JSSE, on loopback. */
@Timeout(60)
class ReseauSSLSocketTest {
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @ParameterizedTest(name = "both {0}")
    @EnumSource(Transport.class)
    void reseauClientAndServerAgreeOnTls13AndEcho(Transport transport) throws Exception {
        try (SSLServerSocket server = transport.listen(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            CompletableFuture<SSLSession> serverSession = echoOnce(server);
            try (SSLSocket client = transport.connect(pki.clientContext(null, RESEAU), "localhost", server.getLocalPort())) {
                SSLParameters parameters = client.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(parameters);
                assertThat(roundTrip(client, "hello over s2n")).asString(StandardCharsets.UTF_8).isEqualTo("hello over s2n");
                SSLSession session = client.getSession();
                assertThat(session.isValid()).isTrue();
                assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
                assertThat(session.getCipherSuite()).startsWith("TLS_AES_");
                assertThat(session.getPeerHost()).isEqualTo("localhost");
                assertThat(((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName())
                        .contains("localhost");
                client.shutdownOutput();
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(serverSession.get(10, TimeUnit.SECONDS).getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void parametersChangedOnOneSocketStayWithIt() throws Exception {
        try (SSLServerSocket server = server(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            SSLSocketFactory factory = pki.clientContext(null, RESEAU).getSocketFactory();
            try (SSLSocket changed = (SSLSocket) factory.createSocket("localhost", server.getLocalPort());
                    SSLSocket accepted = (SSLSocket) server.accept();
                    SSLSocket untouched = (SSLSocket) factory.createSocket()) {
                changed.setEnabledProtocols(new String[] {"TLSv1.2"});
                assertThat(changed.getEnabledProtocols()).containsExactly("TLSv1.2");
                assertThat(untouched.getEnabledProtocols()).contains("TLSv1.3");

                server.setNeedClientAuth(true); // for sockets accepted from now on
                assertThat(accepted.getNeedClientAuth()).isFalse();
                accepted.setWantClientAuth(true);
                assertThat(server.getWantClientAuth()).isFalse();
                assertThat(server.getNeedClientAuth()).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "Reseau server {0}")
    @EnumSource(Transport.class)
    void jsseClientTalksToReseauServer(Transport transport) throws Exception {
        try (SSLServerSocket server = transport.listen(pki.serverContext(Kind.SERVER_RSA, RESEAU))) {
            CompletableFuture<SSLSession> serverSession = echoOnce(server);
            try (SSLSocket client = (SSLSocket) pki.jsseClientContext().getSocketFactory()
                    .createSocket("localhost", server.getLocalPort())) {
                assertThat(roundTrip(client, "jsse to reseau")).asString(StandardCharsets.UTF_8).isEqualTo("jsse to reseau");
                assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
            assertThat(serverSession.get(10, TimeUnit.SECONDS).getCipherSuite()).startsWith("TLS_AES_");
        }
    }

    @ParameterizedTest(name = "Reseau client {0}")
    @EnumSource(Transport.class)
    void reseauClientTalksToJsseServerOverTls12(Transport transport) throws Exception {
        try (SSLServerSocket server = server(pki.jsseServerContext(Kind.SERVER_EC384))) {
            CompletableFuture<SSLSession> serverSession = echoOnce(server);
            try (SSLSocket client = transport.connect(pki.clientContext(null, RESEAU), "localhost", server.getLocalPort())) {
                client.setEnabledProtocols(new String[] {"TLSv1.2"});
                CompletableFuture<HandshakeCompletedEvent> completed = new CompletableFuture<>();
                client.addHandshakeCompletedListener(completed::complete);
                client.startHandshake();
                assertThat(roundTrip(client, "reseau to jsse")).asString(StandardCharsets.UTF_8).isEqualTo("reseau to jsse");
                assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.2");
                assertThat(client.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
                assertThat(completed.get(10, TimeUnit.SECONDS).getSession()).isSameAs(client.getSession());
            }
            assertThat(serverSession.get(10, TimeUnit.SECONDS).getProtocol()).isEqualTo("TLSv1.2");
        }
    }

    @ParameterizedTest(name = "Reseau client {0}")
    @EnumSource(Transport.class)
    void wrongHostFailsTheHandshakeWithEndpointIdentification(Transport transport) throws Exception {
        try (SSLServerSocket server = server(pki.serverContext(Kind.WRONG_HOST, RESEAU))) {
            Thread.ofVirtual().start(() -> {
                try (Socket accepted = server.accept()) {
                    accepted.getInputStream().read();
                } catch (IOException expected) {
                    // the client refuses the certificate
                }
            });
            try (SSLSocket client = transport.connect(pki.clientContext(null, RESEAU), "localhost", server.getLocalPort())) {
                SSLParameters parameters = client.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(parameters);
                assertThatThrownBy(client::startHandshake).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("localhost");
                assertThat(client.getSession().isValid()).isFalse();
                assertThat(client.getSession().getCipherSuite()).isEqualTo("SSL_NULL_WITH_NULL_NULL");
            }
        }
    }

    @ParameterizedTest(name = "both {0}")
    @EnumSource(Transport.class)
    void alpnAndSniReachTheServer(Transport transport) throws Exception {
        SSLContext serverContext = pki.serverContext(Kind.SERVER_EC256, RESEAU);
        try (SSLServerSocket server = transport.listen(serverContext)) {
            SSLParameters serverParameters = server.getSSLParameters();
            serverParameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            server.setSSLParameters(serverParameters);
            CompletableFuture<String> serverProtocol = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.startHandshake();
                    serverProtocol.complete(accepted.getApplicationProtocol());
                    accepted.getInputStream().read();
                } catch (Throwable t) {
                    serverProtocol.completeExceptionally(t);
                }
            });
            try (SSLSocket client = transport.connect(pki.clientContext(null, RESEAU), "localhost", server.getLocalPort())) {
                SSLParameters parameters = client.getSSLParameters();
                parameters.setApplicationProtocols(new String[] {"h2"});
                parameters.setServerNames(List.of(new SNIHostName("localhost")));
                client.setSSLParameters(parameters);
                assertThat(client.getApplicationProtocol()).isNull();
                client.startHandshake();
                assertThat(client.getApplicationProtocol()).isEqualTo("h2");
                assertThat(serverProtocol.get(10, TimeUnit.SECONDS)).isEqualTo("h2");
            }
        }
    }
}
