package io.reseau.bootstrap;

import io.reseau.channel.ChannelCallback;
import io.reseau.eventloop.EventLoop;
import io.reseau.socket.SocketDomain;
import io.reseau.socket.Socket;
import io.reseau.socket.SocketChannelHandler;
import io.reseau.socket.SocketOptions;
import io.reseau.tls.TlsConnectionOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * One client connection (aws-c-io's {@code aws_socket_channel_bootstrap_options}).
 *
 * @param host a host name or address literal; for {@link SocketDomain#LOCAL} the socket's path
 * @param port 1 to 65535 (ignored for LOCAL)
 * @param onSetup told exactly once, on an event loop: the ready channel (error null), or a null
 *     channel and why there is none. Add handlers to the channel here. Null only for
 *     {@link ClientBootstrap#connectSocket}, which reports the socket instead.
 * @param onShutdown told once the channel of a successful setup has shut down; the channel is
 *     destroyed right after. May be null.
 * @param enableReadBackPressure whether the channel honours read windows
 * @param requestedEventLoop the loop the channel must live on (one of the group's), or null
 * @param socket a socket of the caller's to connect (already configured, perhaps bound) instead of new
 *     ones; it belongs to the bootstrap from then on: closed if the connect fails, and with the
 *     channel. Only addresses its domain can reach are tried. It makes the first attempt; later ones
 *     use its siblings ({@link Socket#openSibling}), but a bound socket, which cannot be copied,
 *     makes the only one. Null for new sockets, one per attempt.
 * @param halfClose on the peer's end of stream, send an {@link io.reseau.channel.IoMessage#TAG_END_OF_STREAM}
 *     message downstream and keep the channel open for writing, instead of shutting it down
 * @param maxReadPerTurn bytes the socket handler reads before it yields to the loop's other work
 *     (aws-c-io: 16 KiB, {@link SocketChannelHandler#DEFAULT_MAX_READ_SIZE})
 * @param tls TLS over the connection (a {@link io.reseau.tls.TlsChannelHandler} after the socket's):
 *     {@code onSetup} then hears of the channel once the handshake has succeeded, or of its failure;
 *     null for plain TCP
 * @param connectionAttemptDelay how long an attempt has before the next address is tried too (RFC
 *     8305's Connection Attempt Delay: {@link #DEFAULT_CONNECTION_ATTEMPT_DELAY}); {@link Duration#ZERO}
 *     tries every address at once
 */
public record ClientConnectionOptions(String host, int port, SocketOptions socketOptions, ChannelCallback onSetup,
        ChannelCallback onShutdown, boolean enableReadBackPressure, EventLoop requestedEventLoop, Socket socket,
        boolean halfClose, int maxReadPerTurn, TlsConnectionOptions tls, Duration connectionAttemptDelay) {

    /** RFC 8305's recommended delay between two connection attempts. */
    public static final Duration DEFAULT_CONNECTION_ATTEMPT_DELAY = Duration.ofMillis(250);

    public ClientConnectionOptions {
        Objects.requireNonNull(socketOptions, "socketOptions");
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("a host is required");
        }
        if (socketOptions.domain() != SocketDomain.LOCAL && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port out of range (1-65535): " + port);
        }
        if (maxReadPerTurn <= 0) {
            throw new IllegalArgumentException("maxReadPerTurn must be positive, got " + maxReadPerTurn);
        }
        Objects.requireNonNull(connectionAttemptDelay, "connectionAttemptDelay");
        if (connectionAttemptDelay.isNegative()) {
            throw new IllegalArgumentException("connectionAttemptDelay cannot be negative: " + connectionAttemptDelay);
        }
    }

    /** A TCP connection to {@code host:port} with default socket options and no back-pressure. */
    public static ClientConnectionOptions tcp(String host, int port, SocketDomain domain, ChannelCallback onSetup,
            ChannelCallback onShutdown) {
        return new ClientConnectionOptions(host, port, SocketOptions.tcp(domain), onSetup, onShutdown, false, null, null, false,
                SocketChannelHandler.DEFAULT_MAX_READ_SIZE, null, DEFAULT_CONNECTION_ATTEMPT_DELAY);
    }

    /** TLS over the connection; see {@code tls}. */
    public ClientConnectionOptions withTls(TlsConnectionOptions options) {
        return new ClientConnectionOptions(host, port, socketOptions, onSetup, onShutdown, enableReadBackPressure,
                requestedEventLoop, socket, halfClose, maxReadPerTurn, options, connectionAttemptDelay);
    }

    public ClientConnectionOptions withOnSetup(ChannelCallback callback) {
        return new ClientConnectionOptions(host, port, socketOptions, callback, onShutdown, enableReadBackPressure,
                requestedEventLoop, socket, halfClose, maxReadPerTurn, tls, connectionAttemptDelay);
    }

    public ClientConnectionOptions withReadBackPressure(boolean enabled) {
        return new ClientConnectionOptions(host, port, socketOptions, onSetup, onShutdown, enabled, requestedEventLoop,
                socket, halfClose, maxReadPerTurn, tls, connectionAttemptDelay);
    }

    public ClientConnectionOptions withEventLoop(EventLoop loop) {
        return new ClientConnectionOptions(host, port, socketOptions, onSetup, onShutdown, enableReadBackPressure, loop,
                socket, halfClose, maxReadPerTurn, tls, connectionAttemptDelay);
    }

    public ClientConnectionOptions withSocketOptions(SocketOptions options) {
        return new ClientConnectionOptions(host, port, options, onSetup, onShutdown, enableReadBackPressure,
                requestedEventLoop, socket, halfClose, maxReadPerTurn, tls, connectionAttemptDelay);
    }

    public ClientConnectionOptions withSocket(Socket callerSocket) {
        return new ClientConnectionOptions(host, port, socketOptions, onSetup, onShutdown, enableReadBackPressure,
                requestedEventLoop, callerSocket, halfClose, maxReadPerTurn, tls, connectionAttemptDelay);
    }

    public ClientConnectionOptions withMaxReadPerTurn(int bytes) {
        return new ClientConnectionOptions(host, port, socketOptions, onSetup, onShutdown, enableReadBackPressure,
                requestedEventLoop, socket, halfClose, bytes, tls, connectionAttemptDelay);
    }

    public ClientConnectionOptions withHalfClose(boolean enabled) {
        return new ClientConnectionOptions(host, port, socketOptions, onSetup, onShutdown, enableReadBackPressure,
                requestedEventLoop, socket, enabled, maxReadPerTurn, tls, connectionAttemptDelay);
    }

    public ClientConnectionOptions withConnectionAttemptDelay(Duration delay) {
        return new ClientConnectionOptions(host, port, socketOptions, onSetup, onShutdown, enableReadBackPressure,
                requestedEventLoop, socket, halfClose, maxReadPerTurn, tls, delay);
    }
}
