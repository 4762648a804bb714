package io.reseau.net;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link java.net.Socket} that runs on Reseau: an epoll event loop and a channel underneath,
 * the JDK's own semantics on top (timeouts, half-close, interrupts of virtual threads, close from
 * another thread, "Connection reset"...). Reads and writes park a virtual thread, or block a
 * platform one, without pinning a carrier. Get one from {@link ReseauSocketFactory}.
 */
public class ReseauSocket extends Socket {
    /** An unconnected socket on Reseau's default event loops. */
    public ReseauSocket() throws SocketException {
        this(NetContext.defaults());
    }

    ReseauSocket(NetContext context) throws SocketException {
        super(new ReseauSocketImpl(context));
    }

    /**
     * {@link #connect(java.net.SocketAddress, int)} without blocking the caller: the future completes
     * with this socket once connected, or with the exception connect would throw (the socket is then
     * closed). Cancelling the future closes the socket, which abandons the connect.
     */
    public CompletableFuture<ReseauSocket> connectAsync(java.net.SocketAddress endpoint, int timeoutMillis) {
        return Async.run(() -> {
            connect(endpoint, timeoutMillis);
            return this;
        }, this);
    }

    @Override
    public String toString() {
        return "Reseau" + super.toString();
    }

    /** Connects, closing the socket if that fails (as java.net.Socket's connecting constructors do). */
    static ReseauSocket connected(NetContext context, java.net.SocketAddress remote, java.net.SocketAddress local)
            throws IOException {
        ReseauSocket socket = new ReseauSocket(context);
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
