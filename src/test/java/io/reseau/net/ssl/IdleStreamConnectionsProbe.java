package io.reseau.net.ssl;

import static io.reseau.net.ssl.SslSockets.RESEAU;
import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.cli.bench.IdleMemoryProbe;
import io.reseau.cli.bench.MallocStatistics;
import io.reseau.net.ssl.SslSockets.Transport;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import io.reseau.testing.WaitingThreads;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Child JVM main for {@link StreamSSLSocketIdleTest}: opens idle TLS connections layered over
 * JDK sockets, each after a request and a response larger than a record (the server's end then
 * waits in a read for the next request, the client's does nothing), and prints what they hold per
 * connection, both ends: native (glibc's bytes in use) and heap after a GC, each as what closing
 * them frees. Argument: a directory for the test PKI.
 */
public final class IdleStreamConnectionsProbe {
    static final String RESULT = "idle-stream-connection: ";
    private static final int CONNECTIONS = 64;
    private static final int ROUNDS = 3;
    /** More than a record each way, so that every buffer of both ends was in use once. */
    private static final int EXCHANGED = 40 * 1024;
    private static SSLContext clientContext;

    private IdleStreamConnectionsProbe() {}

    public static void main(String[] args) throws Exception {
        TestPki pki = TestPki.generate(Path.of(args[0]));
        clientContext = pki.clientContext(null, RESEAU);
        try (SSLServerSocket server = Transport.OVER_JDK_SOCKET.listen(pki.serverContext(Kind.SERVER_EC256, RESEAU), CONNECTIONS)) {
            warmUp(server, CONNECTIONS);
            long nativeBytes = Long.MAX_VALUE;
            long heap = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                long[] held = measureRound(server);
                nativeBytes = Math.min(nativeBytes, held[0]);
                heap = Math.min(heap, held[1]);
            }
            System.out.println(RESULT + nativeBytes + " " + heap);
        }
        System.exit(0); // the JDK's and Reseau's daemon threads must not keep the child alive
    }

    /**
     * Native and heap bytes per connection that closing idle connections frees. The HotSpot
     * compiler gives megabytes of its arenas back at moments of its own, which can fall between
     * the two measurements and only ever add to the figure: the smallest of the rounds is the one
     * without it.
     */
    private static long[] measureRound(SSLServerSocket server) throws Exception {
        IdleConnections idle = IdleConnections.open(server, CONNECTIONS);
        idle.awaitServersWaiting();
        long heapIdle = IdleMemoryProbe.heapInUseAfterGc();
        long nativeIdle = settledNativeInUse();
        idle.checkStillUsable();
        idle.close();
        idle = null; // what the connections held is garbage now
        return new long[] {(nativeIdle - settledNativeInUse()) / CONNECTIONS, (heapIdle - IdleMemoryProbe.heapInUseAfterGc()) / CONNECTIONS};
    }

    /**
     * Opens and closes as many connections first: what the JVM grows by on first use (code, pools,
     * threads, the JDK's cached buffers) is not counted against them. A method of its own, so that
     * nothing of them stays reachable from the measuring frame.
     */
    private static void warmUp(SSLServerSocket server, int connections) throws Exception {
        try (IdleConnections warmUp = IdleConnections.open(server, connections)) {
            warmUp.awaitServersWaiting();
            warmUp.checkStillUsable();
        }
    }

    /** Connections that exchanged a request and a response, the servers then waiting for the next. */
    private record IdleConnections(List<SSLSocket> clients, List<Thread> servers, List<CompletableFuture<byte[]>> nextRequests)
            implements AutoCloseable {
        static IdleConnections open(SSLServerSocket server, int count) throws Exception {
            byte[] request = pattern(EXCHANGED, 1);
            List<SSLSocket> clients = new ArrayList<>();
            List<Thread> servers = new ArrayList<>();
            List<CompletableFuture<byte[]>> nextRequests = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                SSLSocket client = Transport.OVER_JDK_SOCKET.connect(clientContext, "localhost", server.getLocalPort());
                clients.add(client);
                Socket accepted = server.accept();
                CompletableFuture<byte[]> next = new CompletableFuture<>();
                nextRequests.add(next);
                servers.add(Thread.ofVirtual().start(() -> {
                    try (accepted) {
                        echoRequest(accepted);
                        next.complete(accepted.getInputStream().readNBytes(4)); // waits, idle, for the next request
                    } catch (Throwable t) {
                        next.completeExceptionally(t);
                    }
                }));
                client.getOutputStream().write(request);
                assertThat(client.getInputStream().readNBytes(EXCHANGED)).isEqualTo(request);
            }
            return new IdleConnections(clients, servers, nextRequests);
        }

        /** A method of its own: nothing it read stays reachable from the frame that waits next. */
        private static void echoRequest(Socket accepted) throws IOException {
            accepted.getOutputStream().write(accepted.getInputStream().readNBytes(EXCHANGED));
        }

        void awaitServersWaiting() throws InterruptedException {
            WaitingThreads.awaitAll(servers);
        }

        /** Each connection carries its next request after the idle period. */
        void checkStillUsable() throws Exception {
            for (SSLSocket client : clients) {
                client.getOutputStream().write(new byte[] {1, 2, 3, 4});
            }
            for (CompletableFuture<byte[]> next : nextRequests) {
                assertThat(next.get(30, TimeUnit.SECONDS)).containsExactly(1, 2, 3, 4);
            }
        }

        @Override
        public void close() throws Exception {
            for (SSLSocket client : clients) {
                client.close();
            }
            for (Thread server : servers) {
                server.join();
            }
        }
    }

    private static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The C heap in use once it stops falling: what a cleaner frees after a GC comes a moment later. */
    static long settledNativeInUse() throws InterruptedException {
        long previous = MallocStatistics.bytesInUse().orElseThrow();
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() - deadline < 0; ) {
            IdleMemoryProbe.heapInUseAfterGc();
            long now = MallocStatistics.bytesInUse().orElseThrow();
            if (previous - now < 64 * 1024) {
                return now;
            }
            previous = now;
        }
        return previous;
    }
}
