package io.reseau.net.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.channel.MessagePool;
import io.reseau.dns.SystemHostResolver;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.eventloop.Task;
import io.reseau.net.ReseauServerSocketFactory;
import io.reseau.net.ReseauSocket;
import io.reseau.testing.TestPki.Kind;
import io.reseau.tls.TlsConnectionOptions;
import io.reseau.tls.TlsContext;
import io.reseau.tls.TlsContextOptions;
import io.reseau.testing.TestPki;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of TLS connections (TLS in the server sockets' channels, {@link ReseauSocket#startTls})
 * that buffered a lot: once they are gone, their loops' pools keep little.
 */
@Timeout(120)
class PooledMemoryAfterBurstTest {
    private static final int CONNECTIONS = 100;
    private static final int BYTES_EACH = 256 * 1024;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @Test
    void theIdlePartOfTheMessagePoolsIsBoundedOnceABurstOfConnectionsHasClosed() throws Exception {
        TestPki.Credential credential = pki.credential(Kind.SERVER_EC256);
        try (EventLoopGroup group = new EventLoopGroup(2);
                ServerSocket plain = ReseauServerSocketFactory.of(group, new SystemHostResolver())
                        .createServerSocket(0, CONNECTIONS, LOOPBACK);
                TlsContext tlsOverReseau = TlsContext.create(TlsContextOptions.server(credential.chainPem(), credential.privateKeyPem()))) {
            CountDownLatch readNow = new CountDownLatch(1);
            List<CompletableFuture<Integer>> served = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                served.add(CompletableFuture.supplyAsync(() -> readAllOnceTold(plain, tlsOverReseau, readNow), Thread::startVirtualThread));
            }
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                sent.add(CompletableFuture.runAsync(() -> sendAndWaitForTheEnd(plain.getLocalPort()), Thread::startVirtualThread));
            }
            // The servers' channels read ahead what their readers have not taken: the pools grow.
            awaitTotal(group, MessagePool::messagesInUse, CONNECTIONS * 8L);
            readNow.countDown();
            for (CompletableFuture<Integer> server : served) {
                assertThat(server.get(60, TimeUnit.SECONDS)).isEqualTo(BYTES_EACH);
            }
            for (CompletableFuture<Void> client : sent) {
                client.get(60, TimeUnit.SECONDS);
            }
            awaitTotal(group, pool -> -pool.messagesInUse(), 0); // every message is back
            for (EventLoop loop : group.loops()) {
                assertThat(measured(loop, MessagePool::idleBytes)).as("idle bytes kept by %s", loop.name())
                        .isLessThanOrEqualTo((long) MessagePool.IDLE_LIMIT * (MessagePool.MAX_FRAGMENT_SIZE + MessagePool.SMALL_MESSAGE_SIZE));
            }
        }
    }

    /**
     * Accepts one connection, puts TLS in its channel, waits for the word, then reads what its
     * client sends and hangs up: the bytes read.
     */
    private static int readAllOnceTold(ServerSocket plain, TlsContext tls, CountDownLatch readNow) {
        try (Socket accepted = plain.accept()) {
            ((ReseauSocket) accepted).startTls(TlsConnectionOptions.of(tls)).get(30, TimeUnit.SECONDS);
            readNow.await();
            return accepted.getInputStream().readNBytes(BYTES_EACH).length;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends its bytes from a JSSE client and waits for the server to hang up. */
    private static void sendAndWaitForTheEnd(int port) {
        try (SSLSocket client = (SSLSocket) pki.jsseClientContext().getSocketFactory().createSocket(LOOPBACK, port)) {
            client.getOutputStream().write(new byte[BYTES_EACH]);
            if (client.getInputStream().read() != -1) {
                throw new IllegalStateException("the server sent something");
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code measure} of the loop's pool, taken on the loop (its pool is the loop's own). */
    private static long measured(EventLoop loop, ToLongFunction<MessagePool> measure) throws InterruptedException {
        CompletableFuture<Long> value = new CompletableFuture<>();
        loop.scheduleNow(new Task("measure-pool", status -> value.complete(measure.applyAsLong(MessagePool.PER_LOOP.get(loop)))));
        try {
            return value.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTotal(EventLoopGroup group, ToLongFunction<MessagePool> measure, long atLeast)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long total;
        do {
            total = 0;
            for (EventLoop loop : group.loops()) {
                total += measured(loop, measure);
            }
            if (total >= atLeast) {
                return;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        assertThat(total).as("reached within 30 s").isGreaterThanOrEqualTo(atLeast);
    }
}
