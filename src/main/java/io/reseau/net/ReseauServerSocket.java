package io.reseau.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link java.net.ServerSocket} that runs on Reseau: {@link #accept()} parks until a connection,
 * already set up on an event loop, is there, and returns a {@link ReseauSocket}. Get one from
 * {@link ReseauServerSocketFactory}.
 */
public class ReseauServerSocket extends ServerSocket {
    private final NetContext context;

    /** An unbound server socket on Reseau's default event loops. */
    public ReseauServerSocket() throws IOException {
        this(NetContext.defaults());
    }

    ReseauServerSocket(NetContext context) throws IOException {
        super(new ReseauServerSocketImpl(context));
        this.context = context;
    }

    /** Bound to {@code port} (0 for any) on {@code bindAddress} (null for all addresses). */
    static ReseauServerSocket bound(NetContext context, int port, int backlog, InetAddress bindAddress) throws IOException {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("Port value out of range: " + port);
        }
        ReseauServerSocket server = new ReseauServerSocket(context);
        try {
            server.bind(new InetSocketAddress(bindAddress, port), backlog);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    @Override
    public Socket accept() throws IOException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        if (!isBound()) {
            throw new SocketException("Socket is not bound yet");
        }
        ReseauSocket socket = new ReseauSocket(context);
        implAccept(socket);
        return socket;
    }

    /**
     * {@link #accept()} without blocking the caller: the future completes with the next connection,
     * or with the exception accept would throw. Cancelling the future before a connection arrives
     * closes this server socket (as an interrupted accept does); a connection accepted after all is
     * closed.
     */
    public CompletableFuture<Socket> acceptAsync() {
        CompletableFuture<Socket> accepted = Async.run(this::accept, this);
        accepted.whenComplete((socket, failure) -> {
            if (socket != null && accepted.isCancelled()) {
                Async.closeQuietly(socket);
            }
        });
        return accepted;
    }

    @Override
    public String toString() {
        return "Reseau" + super.toString();
    }
}
