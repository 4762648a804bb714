package io.reseau.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Connected socket pairs and calls on threads of their own, for the facade's tests. */
final class Peers {
    private Peers() {}

    /** A Reseau client and the server side of its connection. */
    record Pair(Socket client, Socket server, ServerSocket listener) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            client.close();
            server.close();
            listener.close();
        }
    }

    static ServerSocket reseauListener() throws IOException {
        return ReseauServerSocketFactory.getDefault().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    static ServerSocket jdkListener() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** A Reseau client connected to {@code listener}, and what the listener accepted. */
    static Pair connect(ServerSocket listener) throws Exception {
        return connect(listener, ReseauSocketFactory.getDefault().createSocket());
    }

    /** {@code client}, not yet connected, connected to {@code listener}; and what the listener accepted. */
    static Pair connect(ServerSocket listener, Socket client) throws Exception {
        CompletableFuture<Socket> accepted = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                accepted.complete(listener.accept());
            } catch (Throwable t) {
                accepted.completeExceptionally(t);
            }
        });
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 5_000);
        return new Pair(client, accepted.get(10, TimeUnit.SECONDS), listener);
    }

    static Pair reseauPair() throws Exception {
        return connect(reseauListener());
    }

    interface Call {
        Object run() throws Exception;
    }

    /** Runs {@code call} on a new thread; the future has its result or what it threw. */
    static CompletableFuture<Object> start(boolean virtual, Call call, Thread[] started) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Runnable body = () -> {
            try {
                outcome.complete(call.run());
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        };
        started[0] = virtual ? Thread.ofVirtual().start(body) : Thread.ofPlatform().daemon(true).start(body);
        return outcome;
    }

    /** Fills the connection until {@code client}'s write must wait (the peer does not read). */
    static byte[] bigWrite() {
        return new byte[64 << 20];
    }
}
