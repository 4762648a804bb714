package io.reseau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.testing.OpenSslPeer;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Credential;
import io.reseau.testing.TestPki.Kind;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's TLS: {@code echo-server --tls} answering OpenSSL's client and Reseau's, and
 * {@code connect --tls} reporting what it agreed with OpenSSL's server and with Reseau's.
 */
@Timeout(30)
class CliTlsTest {
    private static final Pattern AGREED = Pattern.compile(
            "protocol: (\\S+)\\Rcipher suite: (\\S+)\\Rkey exchange group: (\\S+)\\Ralpn: (\\S+)\\R");
    private static TestPki pki;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private EchoServer echo;
    private Thread serving;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @AfterEach
    void stopEchoServer() throws Exception {
        if (echo != null) {
            echo.close();
            serving.join();
        }
    }

    private int run(InputStream in, String... args) {
        return Main.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** {@code reseau echo-server 0 --bind 127.0.0.1 --tls CHAIN KEY}, serving on a virtual thread; its port. */
    private int startTlsEchoServer(Credential credential) throws Exception {
        echo = EchoServer.fromArguments(new String[] {"0", "--bind", "127.0.0.1", "--tls", credential.chain().toString(),
                credential.privateKey().toString()}, new PrintStream(out, true, StandardCharsets.UTF_8));
        serving = Thread.ofVirtual().start(() -> {
            try {
                echo.serveForever();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("listening on /127.0.0.1:" + echo.port() + " (TLS)");
        out.reset();
        return echo.port();
    }

    @Test
    void echoServerAnswersOpenSslsClient() throws Exception {
        int port = startTlsEchoServer(pki.credential(Kind.SERVER_EC256));
        String line = "hello from openssl s_client";
        // s_client without -ign_eof: once the echo came back, the end of its input ends it.
        Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-nocommands",
                "-CAfile", pki.rootCertificate().toString(), "-verify_return_error").redirectErrorStream(true).start();
        try {
            OutputStream toClient = client.getOutputStream();
            toClient.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            toClient.flush();
            StringBuilder printed = new StringBuilder();
            BufferedReader fromClient = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            for (String got; (got = fromClient.readLine()) != null && !got.equals(line); ) {
                printed.append(got).append('\n');
            }
            toClient.close();
            assertThat(client.waitFor()).as(printed.toString()).isZero();
            assertThat(printed).contains("Verify return code: 0 (ok)", "Server Temp Key: ");
        } finally {
            client.destroyForcibly();
        }
    }

    @Test
    void connectPrintsWhatWasAgreedThenCopiesBothWays() throws Exception {
        int port = startTlsEchoServer(pki.credential(Kind.SERVER_RSA));
        byte[] input = "hello, reseau over TLS\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        int status = run(new ByteArrayInputStream(input), "connect", "127.0.0.1:" + port, "--tls", "--insecure", "--alpn", "h2");
        assertThat(status).as(err()).isZero();
        assertThat(out.toByteArray()).isEqualTo(input);
        Matcher agreed = AGREED.matcher(err());
        assertThat(agreed.find()).as(err()).isTrue();
        assertThat(agreed.group(1)).isEqualTo("TLSv1.3");
        assertThat(agreed.group(2)).startsWith("TLS_");
        assertThat(agreed.group(3)).isNotEqualTo("none");
        assertThat(agreed.group(4)).isEqualTo("none"); // the echo server offers no ALPN
        assertThat(err()).startsWith("connected to /127.0.0.1:" + port);
    }

    @Test
    void connectOffersAlpnAndSendsTheServerNameToOpenSslsServer() throws Exception {
        try (OpenSslPeer server = OpenSslPeer.server(OpenSslPeer.ServerOptions.of(pki.credential(Kind.SERVER_EC256))
                .withProtocols("TLSv1.2", "TLSv1.2").withAlpn("h2", "http/1.1").withConnections(1))) {
            int status = run(InputStream.nullInputStream(), "connect", "127.0.0.1:" + server.port(), "--tls", "--insecure",
                    "--alpn", "spdy/3,http/1.1", "--servername", "example.test");
            assertThat(status).as(err()).isZero();
            Matcher agreed = AGREED.matcher(err());
            assertThat(agreed.find()).as(err()).isTrue();
            assertThat(agreed.group(1)).isEqualTo("TLSv1.2");
            assertThat(agreed.group(4)).isEqualTo("http/1.1");
            assertThat(server.awaitOutput("Ciphersuite: ")).contains("Protocol version: TLSv1.2");
            assertThat(agreed.group(3)).isNotEqualTo("none");
            server.awaitExit(Duration.ofSeconds(10));
            assertThat(server.requestedServerNames()).containsExactly("example.test");
        }
    }

    @Test
    void connectChecksTheCertificateUnlessInsecure() throws Exception {
        int port = startTlsEchoServer(pki.credential(Kind.SERVER_EC256)); // issued by the test CA, in no system store
        assertThat(run(InputStream.nullInputStream(), "connect", "127.0.0.1:" + port, "--tls")).isEqualTo(1);
        assertThat(err()).startsWith("reseau: connect to 127.0.0.1:" + port + ": ").doesNotContain("\tat ", "usage");
        assertThat(err().lines()).hasSize(1);
    }

    @Test
    void unreadableOrWrongFilesAreUsageErrors() {
        Credential credential = pki.credential(Kind.SERVER_EC256);
        assertThat(run(InputStream.nullInputStream(), "echo-server", "0", "--tls", "/no/such/chain.pem",
                credential.privateKey().toString())).isEqualTo(2);
        assertThat(err()).startsWith("reseau: no certificate file /no/such/chain.pem" + System.lineSeparator())
                .contains("usage: reseau");
        err.reset();
        assertThat(run(InputStream.nullInputStream(), "echo-server", "0", "--tls", credential.privateKey().toString(),
                credential.chain().toString())).isEqualTo(2);
        assertThat(err()).startsWith("reseau: certificate file " + credential.privateKey() + ": ").contains("usage: reseau");
    }
}
