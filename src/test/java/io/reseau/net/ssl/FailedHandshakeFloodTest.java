package io.reseau.net.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.cli.bench.MallocStatistics;
import io.reseau.net.ssl.SslSockets.Transport;
import io.reseau.testing.FdCount;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Thousands of handshakes failing within seconds: s2n's blinding delay (10-30 s each) must not
 * pile up their descriptors and memory; what waits is bounded, and everything comes back.
 */
@Timeout(120)
class FailedHandshakeFloodTest {
    /** A whole record holding an empty ClientHello: s2n fails on it with a blinding delay. */
    private static final byte[] MALFORMED_CLIENT_HELLO = {0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00};
    private static final int FAILURES = 2_000;
    private static final int IN_FLIGHT = 32;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @ParameterizedTest(name = "Reseau server {0}")
    @EnumSource(Transport.class)
    void twoThousandFailedHandshakesHoldBoundedDescriptorsAndGiveThemAllBack(Transport transport) throws Exception {
        try (SSLServerSocket server = transport.listen(pki.serverContext(Kind.SERVER_EC256, SslSockets.RESEAU), FAILURES)) {
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger otherOutcomes = new AtomicInteger();
            Thread.ofVirtual().start(() -> failEveryHandshake(server, refused, otherOutcomes));
            // The first failure waits out its delay, then tells the client why: an alert record.
            CompletableFuture<byte[]> heardByTheFirst = new CompletableFuture<>();
            Socket first = new Socket(LOOPBACK, server.getLocalPort());
            first.getOutputStream().write(MALFORMED_CLIENT_HELLO);
            Thread.ofVirtual().start(() -> {
                try (first; InputStream in = first.getInputStream()) {
                    heardByTheFirst.complete(in.readAllBytes());
                } catch (Throwable t) {
                    heardByTheFirst.completeExceptionally(t);
                }
            });
            awaitCount(refused, 1);
            long fdsBefore = FdCount.now();
            long nativeBefore = MallocStatistics.bytesInUse().orElse(0);

            long peakFds = 0;
            for (int i = 0; i < FAILURES; i++) {
                // The server accepts every connection and fails it: not far ahead of it, or the
                // descriptors counted would be those of connections it has not reached yet.
                while (i - refused.get() > IN_FLIGHT) {
                    Thread.onSpinWait();
                }
                try (Socket client = new Socket(LOOPBACK, server.getLocalPort())) {
                    client.getOutputStream().write(MALFORMED_CLIENT_HELLO);
                }
                if (i % 50 == 0) {
                    peakFds = Math.max(peakFds, FdCount.now());
                }
            }
            awaitCount(refused, FAILURES + 1);
            long nativeHeld = MallocStatistics.bytesInUse().orElse(nativeBefore) - nativeBefore;
            assertThat(otherOutcomes).hasValue(0);
            // Unbounded, each failure held a descriptor and about 47 KiB until its delay ended.
            assertThat(peakFds - fdsBefore).as("descriptors held during the flood").isLessThan(FAILURES / 4);
            assertThat(nativeHeld).as("native memory held after the flood").isLessThan(FAILURES * 16 * 1024L);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45); // past the longest delay, 30 s
            while (FdCount.now() > fdsBefore && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(FdCount.now()).as("descriptors once the delays are over").isLessThanOrEqualTo(fdsBefore);
            byte[] heard = heardByTheFirst.get(45, TimeUnit.SECONDS);
            assertThat(heard).as("what the first client heard before the end").isNotEmpty();
            assertThat(heard[0]).as("a TLS alert record").isEqualTo((byte) 21);
        }
    }

    private static void failEveryHandshake(SSLServerSocket server, AtomicInteger refused, AtomicInteger otherOutcomes) {
        SslSockets.serveEach(server, accepted -> {
            try {
                accepted.startHandshake();
                otherOutcomes.incrementAndGet();
            } catch (SSLHandshakeException expected) {
                refused.incrementAndGet();
            } catch (IOException e) {
                otherOutcomes.incrementAndGet();
                refused.incrementAndGet();
            }
        });
    }

    private static void awaitCount(AtomicInteger count, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(count).hasValue(expected);
    }
}
