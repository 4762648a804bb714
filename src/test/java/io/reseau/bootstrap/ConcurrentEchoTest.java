package io.reseau.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.dns.SystemHostResolver;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.socket.SocketDomain;
import io.reseau.socket.SocketOptions;
import io.reseau.testing.FdCount;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** 1,000 connections at once through ServerBootstrap and ClientBootstrap on one group. */
@Timeout(120)
class ConcurrentEchoTest {
    private static final int CONNECTIONS = 1_000;
    private static final int BYTES_EACH = 8 * 1024;

    @Test
    void everyConnectionEchoesItsOwnBytesAndNothingStaysOpen() throws Exception {
        long fdsBefore = FdCount.now();
        try (EventLoopGroup group = new EventLoopGroup(2); SystemHostResolver resolver = new SystemHostResolver()) {
            ServerBootstrap server = new ServerBootstrap(group);
            CountDownLatch serverShutdowns = new CountDownLatch(CONNECTIONS);
            CountDownLatch listenerDestroyed = new CountDownLatch(1);
            SocketListener listener = server.listen(ServerListenerOptions.tcp(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SocketOptions.tcp(SocketDomain.IPV4),
                    (channel, error) -> TestHandlers.install(channel, new TestHandlers.Echo(Long.MAX_VALUE)),
                    (channel, error) -> serverShutdowns.countDown()).withOnDestroy(listenerDestroyed::countDown));
            int port = ((InetSocketAddress) listener.localAddress()).getPort();

            ClientBootstrap client = new ClientBootstrap(group, resolver);
            CountDownLatch clientShutdowns = new CountDownLatch(CONNECTIONS);
            List<byte[]> sent = new ArrayList<>();
            List<TestHandlers.Collector> collectors = new ArrayList<>();
            List<CompletableFuture<BootstrapTest.Connection>> connections = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                byte[] data = new byte[BYTES_EACH];
                new Random(i).nextBytes(data);
                TestHandlers.Collector collector = new TestHandlers.Collector(BYTES_EACH, Long.MAX_VALUE, false);
                CompletableFuture<BootstrapTest.Connection> ready = new CompletableFuture<>();
                client.connect(ClientConnectionOptions.tcp("127.0.0.1", port, SocketDomain.IPV4, (channel, error) -> {
                    if (error != null) {
                        ready.completeExceptionally(new AssertionError("connection failed: " + error));
                        return;
                    }
                    var slot = TestHandlers.install(channel, collector);
                    TestHandlers.write(slot, data);
                    ready.complete(new BootstrapTest.Connection(channel, slot));
                }, (channel, error) -> clientShutdowns.countDown()));
                sent.add(data);
                collectors.add(collector);
                connections.add(ready);
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                connections.get(i).get(60, TimeUnit.SECONDS);
                assertThat(collectors.get(i).received.get(60, TimeUnit.SECONDS)).as("connection " + i).isEqualTo(sent.get(i));
            }
            listener.close();
            connections.forEach(c -> c.join().channel().shutdown(null));
            assertThat(clientShutdowns.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(serverShutdowns.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(listenerDestroyed.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(FdCount.now()).as("descriptors open after everything closed").isEqualTo(fdsBefore);
    }
}
