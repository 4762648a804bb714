package io.reseau.cli.bench;

import io.reseau.net.ReseauServerSocketFactory;
import io.reseau.net.ReseauSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;

/**
 * java.net.Socket code on virtual threads, one thread per connection end. The JDK's sockets and
 * Reseau's run exactly this code; only the factories differ. Given TLS factories, it runs scenario
 * D's bulk and request/response ({@link BlockingTlsStack}): the same code over SSLSockets.
 */
public final class BlockingStack implements Stack {
    private final String name;
    private final SocketFactory sockets;
    private final ServerSocketFactory serverSockets;

    private BlockingStack(String name, SocketFactory sockets, ServerSocketFactory serverSockets) {
        this.name = name;
        this.sockets = sockets;
        this.serverSockets = serverSockets;
    }

    /** Any pair of factories; the benchmark's own stacks are {@link #jdk()} and {@link #reseau()}. */
    static BlockingStack of(String name, SocketFactory sockets, ServerSocketFactory serverSockets) {
        return new BlockingStack(name, sockets, serverSockets);
    }

    /** The JDK's own path: java.net.Socket on virtual threads. */
    public static BlockingStack jdk() {
        return new BlockingStack("jdk", SocketFactory.getDefault(), ServerSocketFactory.getDefault());
    }

    public static BlockingStack reseau() {
        return new BlockingStack("reseau", ReseauSocketFactory.getDefault(), ReseauServerSocketFactory.getDefault());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Results.RoundTrips requestResponse(Duration warmup, Duration measure, int size) throws Exception {
        return onVirtualThread(() -> pingPong(warmup, measure, size));
    }

    private Results.RoundTrips pingPong(Duration warmup, Duration measure, int size) throws Exception {
        try (ServerSocket server = listen(1); EchoServers echoes = new EchoServers(server, size);
                Socket socket = connect(server)) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] ping = new byte[size];
            byte[] pong = new byte[size];
            long warmupEnd = System.nanoTime() + warmup.toNanos();
            while (System.nanoTime() < warmupEnd) {
                roundTrip(out, in, ping, pong, 0);
            }
            long[] latencies = new long[Results.LATENCIES_KEPT];
            int count = 0;
            long start = System.nanoTime();
            long end = start + measure.toNanos();
            long now = start;
            while (now < end) {
                roundTrip(out, in, ping, pong, count);
                long after = System.nanoTime();
                if (count < latencies.length) {
                    latencies[count] = after - now;
                }
                count++;
                now = after;
            }
            return Results.roundTrips(latencies, count, now - start);
        }
    }

    /** Sends {@code ping} marked with {@code sequence}, and checks the echo carries it back intact. */
    static void roundTrip(OutputStream out, InputStream in, byte[] ping, byte[] pong, int sequence)
            throws IOException {
        ping[0] = (byte) sequence;
        ping[ping.length - 1] = (byte) (sequence >>> 8);
        out.write(ping);
        readFully(in, pong);
        if (pong[0] != ping[0] || pong[pong.length - 1] != ping[ping.length - 1]) {
            throw new IOException("echo mismatch at round trip " + sequence);
        }
    }

    @Override
    public Results.Bulk bulk(long total, int writeSize) throws Exception {
        return onVirtualThread(() -> stream(total, writeSize));
    }

    private Results.Bulk stream(long total, int writeSize) throws Exception {
        try (ServerSocket server = listen(1)) {
            CompletableFuture<Long> received = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (Socket peer = server.accept()) {
                    InputStream in = peer.getInputStream();
                    byte[] buffer = new byte[64 * 1024];
                    long count = 0;
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        count += n;
                    }
                    received.complete(count);
                } catch (Throwable t) {
                    received.completeExceptionally(t);
                }
            });
            long start;
            try (Socket socket = connect(server)) {
                OutputStream out = socket.getOutputStream();
                byte[] chunk = new byte[writeSize];
                start = System.nanoTime();
                for (long sent = 0; sent < total; sent += writeSize) {
                    out.write(chunk, 0, (int) Math.min(writeSize, total - sent));
                }
                socket.shutdownOutput();
                long count = received.get(10, TimeUnit.MINUTES);
                return Results.bulk(total, count, System.nanoTime() - start);
            }
        }
    }

    @Override
    public Results.Concurrency concurrency(int connections, int roundTrips, int size) throws Exception {
        try (ServerSocket server = listen(connections); EchoServers echoes = new EchoServers(server, size)) {
            List<Socket> clients = new ArrayList<>(connections);
            try {
                for (int i = 0; i < connections; i++) {
                    clients.add(connect(server));
                }
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<Void>> done = new ArrayList<>(connections);
                AtomicLong completed = new AtomicLong();
                for (Socket client : clients) {
                    CompletableFuture<Void> finished = new CompletableFuture<>();
                    done.add(finished);
                    Thread.ofVirtual().start(() -> {
                        try {
                            InputStream in = client.getInputStream();
                            OutputStream out = client.getOutputStream();
                            byte[] ping = new byte[size];
                            byte[] pong = new byte[size];
                            go.await();
                            for (int r = 0; r < roundTrips; r++) {
                                roundTrip(out, in, ping, pong, r);
                                completed.incrementAndGet();
                            }
                            finished.complete(null);
                        } catch (Throwable t) {
                            finished.completeExceptionally(t);
                        }
                    });
                }
                long start = System.nanoTime();
                go.countDown();
                CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
                return Results.concurrency((long) connections * roundTrips, completed.get(), System.nanoTime() - start);
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
            }
        }
    }

    @Override
    public AutoCloseable openIdle(int count) throws Exception {
        ServerSocket server = listen(count);
        List<Socket> open = new ArrayList<>(count * 2);
        Thread acceptor = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    Socket peer = server.accept();
                    if (peer instanceof SSLSocket tls) {
                        // The server's half, while the client's connect waits for it. Without
                        // TCP_NODELAY its flight would go out in pieces, each after the client's
                        // delayed ACK (40 ms).
                        tls.setTcpNoDelay(true);
                        tls.startHandshake();
                    }
                    synchronized (open) {
                        open.add(peer);
                    }
                }
            } catch (IOException e) {
                // a failed handshake or closed early: the caller's connect fails and reports it
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the failure above is the one reported
                }
            }
        });
        List<Socket> clients = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Socket client = connect(server);
            if (client instanceof SSLSocket tls) {
                // Every handshake full, as in D1: the client drops what the next one could resume.
                tls.getSession().invalidate();
            }
            clients.add(client);
        }
        acceptor.join();
        synchronized (open) {
            if (open.size() != count) {
                throw new IOException("accepted " + open.size() + " of " + count + " connections");
            }
            open.addAll(clients);
        }
        return () -> {
            for (Socket socket : open) {
                socket.close();
            }
            server.close();
        };
    }

    interface Work<T> {
        T run() throws Exception;
    }

    /** Both ends of every scenario run on virtual threads: that is the path being compared. */
    static <T> T onVirtualThread(Work<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(work.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }).join();
        try {
            return result.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private ServerSocket listen(int backlog) throws IOException {
        return serverSockets.createServerSocket(0, Math.max(50, backlog), InetAddress.getLoopbackAddress());
    }

    private Socket connect(ServerSocket server) throws IOException {
        Socket socket = sockets.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        socket.setTcpNoDelay(true);
        if (socket instanceof SSLSocket tls) {
            // Scenario D: the handshake is done before any clock starts, not by the first timed write.
            // The server's half runs in its first read (or, for idle connections, in the acceptor).
            tls.startHandshake();
        }
        return socket;
    }

    /** Echoes {@code size}-byte messages on every connection the server accepts, until closed. */
    private static final class EchoServers implements AutoCloseable {
        private final Thread acceptor;
        private final List<Socket> accepted = new ArrayList<>();

        EchoServers(ServerSocket server, int size) {
            acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket peer = server.accept();
                        peer.setTcpNoDelay(true);
                        synchronized (accepted) {
                            accepted.add(peer);
                        }
                        Thread.ofVirtual().start(() -> echo(peer, size));
                    }
                } catch (IOException e) {
                    // the server socket closed: done
                }
            });
        }

        private static void echo(Socket peer, int size) {
            try {
                InputStream in = peer.getInputStream();
                OutputStream out = peer.getOutputStream();
                byte[] message = new byte[size];
                while (readFully(in, message)) {
                    out.write(message);
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (accepted) {
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
            acceptor.interrupt();
        }
    }

    /** Fills {@code buffer}; false at a clean end of stream before any byte of it. */
    static boolean readFully(InputStream in, byte[] buffer) throws IOException {
        int filled = 0;
        while (filled < buffer.length) {
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                if (filled == 0) {
                    return false;
                }
                throw new IOException("the stream ended inside a message");
            }
            filled += n;
        }
        return true;
    }
}
