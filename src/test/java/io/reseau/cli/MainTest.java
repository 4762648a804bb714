package io.reseau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line: usage errors, the echo server and connect, end to end on loopback. */
@Timeout(30)
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(InputStream in, String... args) {
        return Main.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"frobnicate", "bench --bogus", "bench --stacks", "bench --stacks reseau",
            "bench --stacks jdk,nonesuch", "bench --scenarios", "bench --scenarios A,Z", "echo-server", "echo-server http", "echo-server 70000", "echo-server 80 --bind",
            "echo-server 80 --tls", "echo-server 80 --tls cert.pem", "echo-server 80 --bogus",
            "connect", "connect localhost", "connect localhost:0", "connect ::1:80", "connect a:1 b:2",
            "connect a:1 --alpn h2", "connect a:1 --insecure", "connect a:1 --tls --alpn", "connect a:1 --tls --alpn h2,,x",
            "connect a:1 --tls --servername", "connect a:1 --tls --servername 127.0.0.1", "connect --tls a:1"})
    void badArgumentsGiveTheUsageAndExitStatusTwo(String line) {
        assertThat(run(InputStream.nullInputStream(), line.split(" "))).isEqualTo(2);
        assertThat(err()).startsWith("reseau: ").contains("usage: reseau").doesNotContain("\tat ");
    }

    @Test
    void helpGoesToStandardOutput() {
        assertThat(run(InputStream.nullInputStream(), "help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("echo-server PORT", "connect HOST:PORT", "bench");
    }

    @Test
    void connectCopiesStandardInputToTheEchoServerAndItsEchoToStandardOutput() throws Exception {
        try (EchoServer echo = EchoServer.start(0, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofVirtual().start(() -> {
                try {
                    echo.serveForever();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            byte[] input = "hello, reseau\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
            int status = run(new ByteArrayInputStream(input), "connect", "127.0.0.1:" + echo.port());
            assertThat(err()).contains("connected to /127.0.0.1:" + echo.port());
            assertThat(status).isZero();
            assertThat(out.toByteArray()).isEqualTo(input);
            echo.close();
            server.join();
        }
    }

    @Test
    void connectToABracketedIpv6Literal() throws Exception {
        try (EchoServer echo = EchoServer.start(0, InetAddress.getByName("::1"))) {
            Thread.ofVirtual().start(() -> {
                try {
                    echo.serveForever();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(run(new ByteArrayInputStream("v6".getBytes(StandardCharsets.UTF_8)), "connect", "[::1]:" + echo.port())).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("v6");
        }
    }

    @Test
    void failuresAreOneLineAndExitStatusOne() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        assertThat(run(InputStream.nullInputStream(), "connect", "127.0.0.1:" + closedPort)).isEqualTo(1);
        assertThat(err()).isEqualTo("reseau: connect to 127.0.0.1:" + closedPort + ": Connection refused" + System.lineSeparator());
        err.reset();
        assertThat(run(InputStream.nullInputStream(), "connect", "no-such-host.invalid:80")).isEqualTo(1);
        assertThat(err()).contains("unknown host no-such-host.invalid").doesNotContain("\tat ");
        err.reset();
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(run(InputStream.nullInputStream(), "echo-server", Integer.toString(busy.getLocalPort()), "--bind", "127.0.0.1"))
                    .isEqualTo(1);
            assertThat(err()).contains("Address already in use");
        }
    }
}
