package io.reseau.net.ssl;

import static io.reseau.net.ssl.SslSockets.RESEAU;
import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.net.ssl.SslSockets.Transport;
import io.reseau.testing.ChildJvm;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import io.reseau.testing.WaitingThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS layered over JDK sockets (StreamSSLSocket) holds no record buffer while a connection is
 * idle, and gives them back without losing a byte in flight: a record that arrives in pieces,
 * reads smaller than a record, a reader and a writer at once on many connections, a close while
 * idle.
 */
@Timeout(120)
class StreamSSLSocketIdleTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** More than a record each way, so that every buffer of both ends was in use once. */
    private static final int EXCHANGED = 40 * 1024;
    private static TestPki pki;
    private static SSLContext serverContext;
    private static SSLContext clientContext;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
        serverContext = pki.serverContext(Kind.SERVER_EC256, RESEAU);
        clientContext = pki.clientContext(null, RESEAU);
    }

    /**
     * Idle connections, each after a request and a response larger than a record: the server's
     * end waits in a read for the next request, the client's does nothing. What they hold is what
     * s2n keeps per connection and the sockets (about 20 KB native and 12 KB heap, both ends),
     * not record buffers (154 KB native and 83 KB heap when every end kept its own). Measured in
     * a JVM of its own ({@link IdleStreamConnectionsProbe}), away from other tests' garbage.
     */
    @Test
    void idleConnectionsHoldNoRecordBuffers(@TempDir Path dir) throws Exception {
        try (ChildJvm child = ChildJvm.start(List.of(), false, IdleStreamConnectionsProbe.class, dir.toString())) {
            String[] held = child.awaitLine(IdleStreamConnectionsProbe.RESULT, Duration.ofSeconds(90))
                    .substring(IdleStreamConnectionsProbe.RESULT.length()).split(" ");
            assertThat(Long.parseLong(held[0])).as("native bytes per idle connection, both ends").isLessThan(40_000);
            assertThat(Long.parseLong(held[1])).as("heap bytes per idle connection, both ends").isLessThan(24_000);
        }
    }

    /**
     * Records from the server reach the client in pieces (part of a header, the rest of it, part
     * of a body...), each once the client's reader waits for more, so that it waits with a
     * record in part; it reads with an array smaller than a record.
     */
    @Test
    void recordsThatArriveInPiecesAreReadWhole() throws Exception {
        byte[] response = pattern(EXCHANGED, 2);
        try (SSLServerSocket server = Transport.OVER_JDK_SOCKET.listen(serverContext);
                ServerSocket relay = new ServerSocket(0, 1, LOOPBACK)) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket accepted = server.accept()) {
                    accepted.getInputStream().readNBytes(1);
                    accepted.getOutputStream().write(response);
                    accepted.getInputStream().read(); // until the client closes
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, Thread::startVirtualThread);
            try (SSLSocket client = Transport.OVER_JDK_SOCKET.connect(clientContext, "localhost", relay.getLocalPort());
                    Socket clientSide = relay.accept();
                    Socket serverSide = new Socket(LOOPBACK, server.getLocalPort())) {
                CompletableFuture<byte[]> read = new CompletableFuture<>();
                Thread reader = Thread.ofVirtual().unstarted(() -> {
                    try {
                        read.complete(readInPieces(client.getInputStream(), response.length, 1000));
                    } catch (Throwable t) {
                        read.completeExceptionally(t);
                    }
                });
                Thread.ofVirtual().start(() -> forward(clientSide, serverSide));
                Thread.ofVirtual().start(() -> forwardInPieces(serverSide, clientSide, reader, read));
                client.startHandshake(); // its flights go through whole: the reader has not started
                reader.start();
                WaitingThreads.await(reader);
                client.getOutputStream().write(0); // the server answers now: its records come in pieces
                assertThat(read.get(60, TimeUnit.SECONDS)).isEqualTo(response);
            }
            served.get(30, TimeUnit.SECONDS);
        }
    }

    /** Copies everything from {@code from} to {@code to} as it comes, until the end of either. */
    private static void forward(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed: the test's own reads say whether anything was lost
        }
    }

    /** Pieces of a record: part of a header, the rest of it, part of a body, a record and more, one byte. */
    private static final int[] PIECES = {3, 2, 100, 17_000, 1};

    /**
     * Copies what {@code from} sends to {@code to}: at once until {@code reader} started (the
     * handshake), then in {@link #PIECES}, each once the reader waits for more (while its read is
     * not done).
     */
    private static void forwardInPieces(Socket from, Socket to, Thread reader, CompletableFuture<?> read) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int piece = 0;
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                for (int at = 0; at < n; ) {
                    if (reader.getState() == Thread.State.NEW) {
                        out.write(buffer, at, n - at);
                        break;
                    }
                    if (!read.isDone()) {
                        WaitingThreads.await(reader);
                    }
                    int length = Math.min(PIECES[piece++ % PIECES.length], n - at);
                    out.write(buffer, at, length);
                    at += length;
                }
            }
        } catch (IOException | InterruptedException e) {
            // one side closed: the reader's own result says whether anything was lost
        }
    }

    /** Reads {@code length} bytes in reads of at most {@code chunk}. */
    private static byte[] readInPieces(InputStream in, int length, int chunk) throws IOException {
        byte[] all = new byte[length];
        int at = 0;
        while (at < length) {
            int n = in.read(all, at, Math.min(chunk, length - at));
            if (n < 0) {
                throw new IOException("the end of the stream after " + at + " of " + length + " bytes");
            }
            at += n;
        }
        return all;
    }

    @Test
    void readsOfAFewBytesLoseNothingOfALargerRecord() throws Exception {
        byte[] response = pattern(EXCHANGED, 3);
        try (SSLServerSocket server = Transport.OVER_JDK_SOCKET.listen(serverContext)) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket accepted = server.accept()) {
                    accepted.getOutputStream().write(response);
                    accepted.getInputStream().read(); // until the client closes
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, Thread::startVirtualThread);
            try (SSLSocket client = Transport.OVER_JDK_SOCKET.connect(clientContext, "localhost", server.getLocalPort())) {
                assertThat(readInPieces(client.getInputStream(), response.length, 7)).isEqualTo(response);
            }
            served.get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Many connections at once, each with a writer and a reader of its own on the client and an
     * echo on the server, all sharing the pooled buffers; every byte comes back in order.
     */
    @Test
    void readersAndWritersOfManyConnectionsAtOnceLoseNothing() throws Exception {
        int connections = 16;
        byte[] data = pattern(2 * 1024 * 1024, 4);
        try (SSLServerSocket server = Transport.OVER_JDK_SOCKET.listen(serverContext, connections)) {
            List<CompletableFuture<Void>> echoes = new ArrayList<>();
            List<CompletableFuture<byte[]>> backs = new ArrayList<>();
            List<SSLSocket> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                SSLSocket client = Transport.OVER_JDK_SOCKET.connect(clientContext, "localhost", server.getLocalPort());
                clients.add(client);
                Socket accepted = server.accept();
                echoes.add(CompletableFuture.runAsync(() -> echo(accepted), Thread::startVirtualThread));
                // Writes of sizes that leave records and reads out of step.
                CompletableFuture.runAsync(() -> writeInPieces(client, data), Thread::startVirtualThread);
                backs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return readInPieces(client.getInputStream(), data.length, 5000);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }, Thread::startVirtualThread));
            }
            for (int i = 0; i < connections; i++) {
                assertThat(backs.get(i).get(60, TimeUnit.SECONDS)).as("echo %d", i).isEqualTo(data);
                clients.get(i).close();
                echoes.get(i).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void echo(Socket accepted) {
        try (accepted) {
            InputStream in = accepted.getInputStream();
            OutputStream out = accepted.getOutputStream();
            byte[] buffer = new byte[3000];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeInPieces(SSLSocket client, byte[] data) {
        try {
            OutputStream out = client.getOutputStream();
            int piece = 1;
            for (int at = 0; at < data.length; at += piece, piece = piece * 3 % 40_000 + 1) {
                out.write(data, at, Math.min(piece, data.length - at));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A close while idle (no reader on the closing end, one waiting at the other) sends close_notify: the peer's read ends. */
    @Test
    void aCloseWhileIdleEndsThePeersWaitingRead() throws Exception {
        try (SSLServerSocket server = Transport.OVER_JDK_SOCKET.listen(serverContext)) {
            SSLSocket client = Transport.OVER_JDK_SOCKET.connect(clientContext, "localhost", server.getLocalPort());
            try (Socket accepted = server.accept()) {
                CompletableFuture<byte[]> request = readAsync(accepted, EXCHANGED);
                client.getOutputStream().write(pattern(EXCHANGED, 5));
                assertThat(request.get(10, TimeUnit.SECONDS)).isEqualTo(pattern(EXCHANGED, 5));
                CompletableFuture<Integer> read = new CompletableFuture<>();
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        read.complete(accepted.getInputStream().read());
                    } catch (Throwable t) {
                        read.completeExceptionally(t);
                    }
                });
                WaitingThreads.await(reader);
                client.close();
                assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
            }
        }
    }

    /** A close from another thread while a reader waits for a quiet peer fails that read, as the JDK's does. */
    @Test
    void aCloseFailsAReadWaitingForAQuietPeer() throws Exception {
        try (SSLServerSocket server = Transport.OVER_JDK_SOCKET.listen(serverContext);
                SSLSocket client = Transport.OVER_JDK_SOCKET.connect(clientContext, "localhost", server.getLocalPort());
                Socket accepted = server.accept()) {
            CompletableFuture<byte[]> request = readAsync(accepted, 1);
            client.getOutputStream().write(1);
            assertThat(request.get(10, TimeUnit.SECONDS)).containsExactly(1);
            CompletableFuture<Throwable> read = new CompletableFuture<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    read.complete(new AssertionError("read returned " + client.getInputStream().read()));
                } catch (Throwable t) {
                    read.complete(t);
                }
            });
            WaitingThreads.await(reader);
            client.close();
            assertThat(read.get(10, TimeUnit.SECONDS)).isInstanceOf(SocketException.class);
        }
    }

    /** {@code length} bytes from {@code socket}, read on a thread of their own: the server's handshake runs meanwhile. */
    private static CompletableFuture<byte[]> readAsync(Socket socket, int length) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return socket.getInputStream().readNBytes(length);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, Thread::startVirtualThread);
    }

    private static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
