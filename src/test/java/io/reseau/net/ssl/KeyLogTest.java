package io.reseau.net.ssl;

import static io.reseau.net.ssl.SslSockets.RESEAU;
import static io.reseau.net.ssl.SslSockets.echoOnce;
import static io.reseau.net.ssl.SslSockets.roundTrip;
import static io.reseau.net.ssl.SslSockets.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.testing.OpenSslPeer;
import io.reseau.testing.Polling;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NSS key log (-Dreseau.tls.keyLogFile): the lines a Reseau client or server writes are those
 * OpenSSL writes for the same connection (-keylogfile), so the secrets are the ones that protect
 * it; off unless the property names a file.
 */
@Timeout(60)
class KeyLogTest {
    private static final String PROPERTY = "reseau.tls.keyLogFile";
    private static final List<String> TLS13_LABELS = List.of("CLIENT_HANDSHAKE_TRAFFIC_SECRET",
            "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET");
    /** Label, client random, secret (48 bytes for TLS 1.2's master secret, 32 or 48 for TLS 1.3's). */
    private static final String LINE = "[A-Z0-9_]+ [0-9a-f]{64} [0-9a-f]{64}([0-9a-f]{32})?";
    private static TestPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @AfterEach
    void stopLogging() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void aServerLogsTheSecretsItsOpenSslClientDerived() throws Exception {
        Path reseauLog = logTo("server-keys.log");
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            Path openSslLog = dir.resolve("s_client-" + protocol + ".log");
            try (SSLServerSocket server = server(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
                Thread.ofVirtual().start(() -> {
                    try (SSLSocket accepted = (SSLSocket) server.accept()) {
                        accepted.startHandshake(); // then the close ends s_client
                    } catch (IOException e) {
                        // s_client's result says what went wrong
                    }
                });
                OpenSslPeer.ClientResult result = OpenSslPeer.client(OpenSslPeer.ClientOptions.connect(server.getLocalPort())
                        .withCaFile(pki.rootCertificate()).withProtocols(protocol, protocol)
                        .withExtraArgs("-keylogfile", openSslLog.toString()));
                assertThat(result.output()).as(protocol).contains("New, " + protocol, "Verify return code: 0 (ok)");
            }
            assertLogged(reseauLog, protocol, openSslLog);
        }
    }

    @Test
    void aClientLogsTheSecretsItsOpenSslServerDerived() throws Exception {
        Path reseauLog = logTo("client-keys.log");
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            Path openSslLog = dir.resolve("s_server-" + protocol + ".log");
            try (OpenSslPeer server = OpenSslPeer.server(OpenSslPeer.ServerOptions.of(pki.credential(Kind.SERVER_EC256))
                    .withProtocols(protocol, protocol).withExtraArgs("-keylogfile", openSslLog.toString()));
                    SSLSocket client = (SSLSocket) pki.clientContext(null, RESEAU).getSocketFactory()
                            .createSocket("localhost", server.port())) {
                // An echo: s_server has read the client's Finished (and logged its last secret) when it answers.
                assertThat(roundTrip(client, "hello\n")).asString(StandardCharsets.UTF_8).isEqualTo("hello\n");
                assertThat(client.getSession().getProtocol()).isEqualTo(protocol);
            }
            assertLogged(reseauLog, protocol, openSslLog);
        }
    }

    @Test
    void concurrentConnectionsAppendWholeLinesToAnOwnerOnlyFile() throws Exception {
        Path reseauLog = logTo("keys.log");
        try (SSLServerSocket server = server(pki.serverContext(Kind.SERVER_EC256, RESEAU), 16)) {
            int connections = 8;
            List<CompletableFuture<?>> served = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                served.add(echoOnce(server));
            }
            List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                echoes.add(CompletableFuture.supplyAsync(() -> {
                    try (SSLSocket client = (SSLSocket) pki.clientContext(null, RESEAU).getSocketFactory()
                            .createSocket("localhost", server.getLocalPort())) {
                        return roundTrip(client, "hello");
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }, runnable -> Thread.ofVirtual().start(runnable)));
            }
            for (CompletableFuture<byte[]> echo : echoes) {
                assertThat(echo.get(10, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("hello");
            }
            // Each secret twice, from the client and from the server of the same connection.
            List<String> lines = Polling.until(() -> Files.readAllLines(reseauLog), all -> all.size() >= connections * 5 * 2);
            assertThat(lines).hasSize(connections * 5 * 2).allMatch(line -> line.matches(LINE));
            assertThat(lines.stream().map(line -> line.substring(line.indexOf(' ') + 1, line.indexOf(' ') + 65)).distinct())
                    .as("client randoms").hasSize(connections);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(reseauLog))).isEqualTo("rw-------");
    }

    @Test
    void linesAreAppendedToAnExistingFile() throws Exception {
        Path reseauLog = logTo("existing.log");
        Files.writeString(reseauLog, "# kept\n");
        handshakeBetweenReseauPeers();
        List<String> lines = Polling.until(() -> Files.readAllLines(reseauLog), all -> all.size() >= 1 + 5 * 2);
        assertThat(lines).first().isEqualTo("# kept");
        assertThat(lines).hasSize(1 + 5 * 2);
    }

    @Test
    void contextsBuiltWithoutThePropertyLogNothing() throws Exception {
        Path reseauLog = logTo("keys.log");
        handshakeBetweenReseauPeers();
        System.clearProperty(PROPERTY);
        handshakeBetweenReseauPeers();
        logTo("keys.log");
        handshakeBetweenReseauPeers();
        // Lines are written in the order they come: once the third handshake's are there, the second's would be.
        List<String> lines = Polling.until(() -> Files.readAllLines(reseauLog), all -> all.size() >= 2 * 5 * 2);
        assertThat(lines).as("the first and third handshakes' secrets, from both ends").hasSize(2 * 5 * 2);
    }

    private Path logTo(String name) {
        Path file = dir.resolve(name);
        System.setProperty(PROPERTY, file.toString());
        return file;
    }

    private static void handshakeBetweenReseauPeers() throws Exception {
        try (SSLServerSocket server = server(pki.serverContext(Kind.SERVER_EC256, RESEAU))) {
            echoOnce(server);
            try (SSLSocket client = (SSLSocket) pki.clientContext(null, RESEAU).getSocketFactory()
                    .createSocket("localhost", server.getLocalPort())) {
                assertThat(roundTrip(client, "hello")).asString(StandardCharsets.UTF_8).isEqualTo("hello");
            }
        }
    }

    /**
     * What OpenSSL logged for the handshake over {@code protocol}, TLS 1.3's five secrets or TLS
     * 1.2's master secret, Reseau logged too: the same lines.
     */
    private static void assertLogged(Path reseauLog, String protocol, Path openSslLog) throws Exception {
        List<String> labels = protocol.equals("TLSv1.3") ? TLS13_LABELS.stream().sorted().toList() : List.of("CLIENT_RANDOM");
        // s_server logs the client's traffic secret once it has read the client's Finished.
        List<String> openSsl = Polling.until(() -> secrets(openSslLog), lines -> labelsOf(lines).equals(labels));
        assertThat(labelsOf(openSsl)).as(protocol).isEqualTo(labels);
        List<String> reseau = Polling.until(() -> Files.readAllLines(reseauLog), lines -> lines.containsAll(openSsl));
        assertThat(reseau).as(protocol).containsAll(openSsl).allMatch(line -> line.matches(LINE));
    }

    private static List<String> labelsOf(List<String> lines) {
        return lines.stream().map(line -> line.substring(0, line.indexOf(' '))).sorted().toList();
    }

    /** The secrets OpenSSL logged, without its comment line. */
    private static List<String> secrets(Path openSslLog) throws IOException {
        return Files.exists(openSslLog) ? Files.readAllLines(openSslLog).stream().filter(line -> !line.startsWith("#")).toList()
                : List.of();
    }
}
