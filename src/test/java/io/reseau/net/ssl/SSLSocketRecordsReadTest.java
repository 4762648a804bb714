package io.reseau.net.ssl;

import static io.reseau.net.ssl.SslSockets.RESEAU;
import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.net.ssl.SslSockets.Transport;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A read of a Reseau TLS socket gives what every record that has arrived holds, up to the room it
 * was given, without waiting for more; a record that fails behind good ones fails the next read,
 * after the good ones' bytes. A relay between a JSSE client and the Reseau server holds the
 * client's application-data records back and passes them on together, in one write.
 */
@Timeout(60)
class SSLSocketRecordsReadTest {
    private static final byte APPLICATION_DATA = 23;
    private static final String[] WRITES = {"one ", "two ", "three"};
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @ParameterizedTest(name = "Reseau server {0}")
    @EnumSource(Transport.class)
    void oneReadGivesTheBytesOfEveryRecordThatArrived(Transport transport) throws Exception {
        try (SSLServerSocket server = transport.listen(pki.serverContext(Kind.SERVER_EC256, RESEAU));
                ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Object> firstRead = readOnce(server, 1024);
            Thread.ofVirtual().start(() -> relayRecordsTogether(relay, server.getLocalPort(), WRITES.length, -1));
            try (SSLSocket client = writeEach(relay)) {
                assertThat(firstRead.get(10, TimeUnit.SECONDS)).isEqualTo("one two three");
            }
        }
    }

    @ParameterizedTest(name = "Reseau server {0}")
    @EnumSource(Transport.class)
    void aBadRecordBehindGoodOnesFailsTheReadAfterTheirBytes(Transport transport) throws Exception {
        try (SSLServerSocket server = transport.listen(pki.serverContext(Kind.SERVER_EC256, RESEAU));
                ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Object> reads = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    InputStream in = accepted.getInputStream();
                    byte[] buffer = new byte[1024];
                    String first = new String(buffer, 0, in.read(buffer), StandardCharsets.US_ASCII);
                    try {
                        reads.complete(first + "|read " + in.read(buffer));
                    } catch (SSLException e) {
                        reads.complete(first + "|" + (e.getMessage().contains("S2N_ERR_DECRYPT") ? "S2N_ERR_DECRYPT" : e));
                    }
                } catch (Throwable t) {
                    reads.completeExceptionally(t);
                }
            });
            Thread.ofVirtual().start(() -> relayRecordsTogether(relay, server.getLocalPort(), WRITES.length, 2));
            try (SSLSocket client = writeEach(relay)) {
                assertThat(reads.get(10, TimeUnit.SECONDS)).isEqualTo("one two |S2N_ERR_DECRYPT");
            }
        }
    }

    private static CompletableFuture<Object> readOnce(SSLServerSocket server, int room) {
        CompletableFuture<Object> read = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (SSLSocket accepted = (SSLSocket) server.accept()) {
                byte[] buffer = new byte[room];
                int n = accepted.getInputStream().read(buffer);
                read.complete(new String(buffer, 0, Math.max(n, 0), StandardCharsets.US_ASCII));
            } catch (Throwable t) {
                read.completeExceptionally(t);
            }
        });
        return read;
    }

    /** A JSSE client over TLS 1.2 (its Finished is not an application-data record), one record per write. */
    private static SSLSocket writeEach(ServerSocket relay) throws IOException {
        SSLSocket client = (SSLSocket) pki.jsseClientContext().getSocketFactory().createSocket("localhost", relay.getLocalPort());
        client.setEnabledProtocols(new String[] {"TLSv1.2"});
        client.startHandshake();
        for (String write : WRITES) {
            client.getOutputStream().write(write.getBytes(StandardCharsets.US_ASCII));
        }
        return client;
    }

    /**
     * Relays one connection to {@code serverPort}: the server's bytes as they come, the client's
     * handshake records as they come, and its first {@code held} application-data records in one
     * write once all have come, with a bit of the tag of the one at {@code corrupt} (0-based;
     * -1: none) flipped.
     */
    private static void relayRecordsTogether(ServerSocket relay, int serverPort, int held, int corrupt) {
        try (Socket client = relay.accept(); Socket server = new Socket(relay.getInetAddress(), serverPort)) {
            Thread.ofVirtual().start(() -> {
                try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // either side closed
                }
            });
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = server.getOutputStream();
            ByteArrayOutputStream together = new ByteArrayOutputStream();
            int applicationRecords = 0;
            while (true) {
                byte[] header = new byte[5];
                in.readFully(header);
                byte[] body = new byte[((header[3] & 0xff) << 8) | (header[4] & 0xff)];
                in.readFully(body);
                if (header[0] != APPLICATION_DATA || applicationRecords >= held) {
                    out.write(header);
                    out.write(body);
                    continue;
                }
                if (applicationRecords == corrupt) {
                    body[body.length - 1] ^= 1;
                }
                together.write(header);
                together.write(body);
                if (++applicationRecords == held) {
                    out.write(together.toByteArray());
                }
            }
        } catch (EOFException end) {
            // the client closed
        } catch (IOException e) {
            // the server closed: the test's reads say how
        }
    }
}
