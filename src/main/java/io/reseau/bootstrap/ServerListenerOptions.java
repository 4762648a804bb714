package io.reseau.bootstrap;

import io.reseau.channel.ChannelCallback;
import io.reseau.socket.Socket;
import io.reseau.socket.SocketChannelHandler;
import io.reseau.socket.SocketOptions;
import java.net.SocketAddress;
import io.reseau.tls.TlsConnectionOptions;
import java.util.Objects;

/**
 * A listening socket and what to do with its connections (aws-c-io's
 * {@code aws_server_socket_channel_bootstrap_options}).
 *
 * @param address where to listen: a resolved {@code InetSocketAddress} (port 0 picks one) or a
 *     {@code UnixDomainSocketAddress}
 * @param backlog pending connections the kernel keeps (aws-c-io: 1024)
 * @param onIncoming told once per connection, on the connection's loop: its ready channel (error
 *     null), or a null channel and the reason. Add handlers to the channel here. A failed accept
 *     (out of descriptors, say) is told too, as a null channel on the listener's loop; the
 *     listener keeps accepting, retrying by itself. Null only for
 *     {@link ServerBootstrap#listenForSockets}, which reports the sockets instead.
 * @param onShutdown told once the channel of a successful connection has shut down; the channel is
 *     destroyed right after. May be null.
 * @param onDestroy runs once the listener is closed and every one of its connections is gone. May be null.
 * @param halfClose connections keep writing after the peer's end of stream (see {@link ClientConnectionOptions})
 * @param maxReadPerTurn bytes a connection's socket handler reads before it yields (aws-c-io: 16 KiB)
 * @param tls TLS over every connection (see {@link ClientConnectionOptions}); null for plain TCP
 * @param socket a socket of the caller's to listen on (already configured, not yet bound) instead of a
 *     new one made with {@code socketOptions}: options set on it before binding (SO_REUSEPORT) hold for
 *     the bind, and connections inherit what the kernel copies from a listener. It belongs to the
 *     bootstrap: closed if listening fails, and with the listener. Null for a new socket.
 * @param acceptWindow connections the listener delivers through {@code onIncoming} before it stops
 *     taking them from the kernel by itself, until {@link SocketListener#incrementAcceptWindow} lets
 *     it take more (a Reseau addition, for owners that queue connections, such as a server socket
 *     keeping its backlog; a connection that fails before delivery gives its place back).
 *     {@link #UNBOUNDED_ACCEPT_WINDOW} by default
 */
public record ServerListenerOptions(SocketAddress address, SocketOptions socketOptions, int backlog,
        ChannelCallback onIncoming, ChannelCallback onShutdown, Runnable onDestroy, boolean enableReadBackPressure,
        boolean halfClose, int maxReadPerTurn, TlsConnectionOptions tls, Socket socket, long acceptWindow) {

    public static final int DEFAULT_BACKLOG = 1024;
    /** An accept window that never closes: every connection is taken as soon as it arrives (aws-c-io's way). */
    public static final long UNBOUNDED_ACCEPT_WINDOW = Long.MAX_VALUE;

    public ServerListenerOptions {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(socketOptions, "socketOptions");
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog cannot be negative: " + backlog);
        }
        if (acceptWindow <= 0) {
            throw new IllegalArgumentException("acceptWindow must be positive, got " + acceptWindow);
        }
        if (maxReadPerTurn <= 0) {
            throw new IllegalArgumentException("maxReadPerTurn must be positive, got " + maxReadPerTurn);
        }
    }

    public static ServerListenerOptions tcp(SocketAddress address, SocketOptions socketOptions,
            ChannelCallback onIncoming, ChannelCallback onShutdown) {
        return new ServerListenerOptions(address, socketOptions, DEFAULT_BACKLOG, onIncoming, onShutdown, null, false, false,
                SocketChannelHandler.DEFAULT_MAX_READ_SIZE, null, null, UNBOUNDED_ACCEPT_WINDOW);
    }

    /** TLS over every connection: {@code onIncoming} then hears of a channel once its handshake has succeeded. */
    public ServerListenerOptions withTls(TlsConnectionOptions options) {
        return new ServerListenerOptions(address, socketOptions, backlog, onIncoming, onShutdown, onDestroy,
                enableReadBackPressure, halfClose, maxReadPerTurn, options, socket, acceptWindow);
    }

    public ServerListenerOptions withReadBackPressure(boolean enabled) {
        return new ServerListenerOptions(address, socketOptions, backlog, onIncoming, onShutdown, onDestroy, enabled, halfClose,
                maxReadPerTurn, tls, socket, acceptWindow);
    }

    public ServerListenerOptions withOnDestroy(Runnable callback) {
        return new ServerListenerOptions(address, socketOptions, backlog, onIncoming, onShutdown, callback,
                enableReadBackPressure, halfClose, maxReadPerTurn, tls, socket, acceptWindow);
    }

    public ServerListenerOptions withBacklog(int pending) {
        return new ServerListenerOptions(address, socketOptions, pending, onIncoming, onShutdown, onDestroy,
                enableReadBackPressure, halfClose, maxReadPerTurn, tls, socket, acceptWindow);
    }

    public ServerListenerOptions withHalfClose(boolean enabled) {
        return new ServerListenerOptions(address, socketOptions, backlog, onIncoming, onShutdown, onDestroy,
                enableReadBackPressure, enabled, maxReadPerTurn, tls, socket, acceptWindow);
    }

    public ServerListenerOptions withSocket(Socket unbound) {
        return new ServerListenerOptions(address, socketOptions, backlog, onIncoming, onShutdown, onDestroy,
                enableReadBackPressure, halfClose, maxReadPerTurn, tls, unbound, acceptWindow);
    }

    public ServerListenerOptions withMaxReadPerTurn(int bytes) {
        return new ServerListenerOptions(address, socketOptions, backlog, onIncoming, onShutdown, onDestroy,
                enableReadBackPressure, halfClose, bytes, tls, socket, acceptWindow);
    }

    public ServerListenerOptions withAcceptWindow(long connections) {
        return new ServerListenerOptions(address, socketOptions, backlog, onIncoming, onShutdown, onDestroy,
                enableReadBackPressure, halfClose, maxReadPerTurn, tls, socket, connections);
    }
}
