package io.reseau.net;

import io.reseau.tls.TlsConnectionOptions;
import io.reseau.tls.TlsNegotiation;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link java.net.Socket} that runs on Reseau: an epoll event loop underneath,
 * the JDK's own semantics on top (timeouts, half-close, interrupts of virtual threads, close from
 * another thread, "Connection reset"...). Reads and writes park a virtual thread, or block a
 * platform one, without pinning a carrier. Get one from {@link ReseauSocketFactory}.
 *
 * <p>Connecting to a host name ({@link ReseauSocketFactory#createSocket(String, int)}, or
 * {@code connect} with {@link java.net.InetSocketAddress#createUnresolved}) resolves it through
 * Reseau's resolver and races its addresses as Happy Eyeballs v2 does (RFC 8305): IPv6 and IPv4
 * interleaved, IPv6 first unless {@code java.net.preferIPv4Stack=true} or
 * {@code java.net.preferIPv6Addresses=false}; the next address tried 250 ms after the previous
 * one, or at once if that one fails sooner; the first to connect wins and the others are closed.
 * The connect timeout bounds the whole race; {@link #getInetAddress()} is the winner. When every
 * address fails, the exception is that of the most telling failure (refused, then timed out,
 * then unreachable) and names the host and every address tried. A socket bound before it
 * connects makes a single attempt. (The JDK's sockets try the first address only.)
 */
public class ReseauSocket extends Socket {
    private final ReseauSocketImpl impl;

    /** An unconnected socket on Reseau's default event loops. */
    public ReseauSocket() throws SocketException {
        this(NetContext.defaults());
    }

    ReseauSocket(NetContext context) throws SocketException {
        this(new ReseauSocketImpl(context));
    }

    private ReseauSocket(ReseauSocketImpl impl) throws SocketException {
        super(impl);
        this.impl = impl;
    }

    /**
     * Upgrades this connected socket to TLS (STARTTLS) in a channel made for it on its event
     * loop: s2n goes between the socket and its streams, and the handshake starts at once. The
     * future completes with how the handshake ended, on an event loop thread. Write nothing until it has
     * completed; a read may start at once and waits for the first plaintext (it fails if the
     * handshake does). Afterwards the streams carry plaintext, and {@link #shutdownOutput()} sends
     * close_notify. If TLS cannot be started on the connection, the future fails and the socket is
     * left unusable.
     *
     * @throws SocketException if the socket is not connected, or closed
     */
    public CompletableFuture<TlsNegotiation> startTls(TlsConnectionOptions options) throws SocketException {
        return impl.startTls(Objects.requireNonNull(options, "options"));
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
