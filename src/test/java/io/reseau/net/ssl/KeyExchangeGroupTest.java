package io.reseau.net.ssl;

import static io.reseau.net.ssl.SslSockets.RESEAU;
import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.testing.OpenSslPeer;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import io.reseau.tls.KeyExchangeGroupSession;
import java.nio.file.Path;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A session of the Reseau provider names the key-exchange group its handshake used, which JSSE's
 * API cannot: the one an OpenSSL server allowed alone, in TLS 1.3 (from a hello retry, as the
 * client's first key share is another group) and in TLS 1.2's ECDHE.
 */
@Timeout(30)
class KeyExchangeGroupTest {
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void theSessionNamesTheGroupTheServerChose(String protocol) throws Exception {
        try (OpenSslPeer server = OpenSslPeer.server(OpenSslPeer.ServerOptions.of(pki.credential(Kind.SERVER_EC256))
                .withProtocols(protocol, protocol).withExtraArgs("-groups", "P-384"))) {
            try (SSLSocket socket = (SSLSocket) pki.clientContext(null, RESEAU).getSocketFactory()
                    .createSocket("127.0.0.1", server.port())) {
                socket.startHandshake();
                SSLSession session = socket.getSession();
                assertThat(session.getProtocol()).isEqualTo(protocol);
                assertThat(session).isInstanceOfSatisfying(KeyExchangeGroupSession.class,
                        reported -> assertThat(reported.keyExchangeGroup()).isEqualTo("secp384r1"));
            }
        }
        assertThat(((KeyExchangeGroupSession) ReseauSSLSession.invalid("localhost", 443)).keyExchangeGroup()).isNull();
    }
}
