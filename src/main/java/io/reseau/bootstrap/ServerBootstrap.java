package io.reseau.bootstrap;

import io.reseau.channel.Channel;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import io.reseau.socket.AcceptListener;
import io.reseau.socket.ConnectCallback;
import io.reseau.socket.Socket;
import java.util.Objects;

/**
 * Listens and opens a channel per accepted connection (aws-c-io's server bootstrap): each
 * connection goes to the group's next loop, gets a channel with the socket handler first, and is
 * reported once through {@code onIncoming}.
 */
public final class ServerBootstrap {
    private final EventLoopGroup group;

    public ServerBootstrap(EventLoopGroup group) {
        this.group = Objects.requireNonNull(group, "group");
    }

    /**
     * Binds, listens and starts accepting; the listener's address is known when this returns.
     *
     * @throws IoErrorException if the address cannot be bound (in use, not local, no permission)
     */
    public SocketListener listen(ServerListenerOptions options) throws IoErrorException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(options.onIncoming(), "onIncoming");
        return start(options, null);
    }

    /**
     * Listens as {@link #listen} does but builds no channels: each accepted socket goes to the
     * group's next loop and then to {@code onAccepted}, on that loop, and belongs to the caller
     * from then on (a failed accept is told as a null socket, on the listener's loop). For owners
     * that use sockets themselves (the blocking facade's server socket). Of the options, those of
     * the channel (the callbacks, TLS, back-pressure, half-close, read size) do not apply, and
     * {@code onDestroy} runs once the listener is closed.
     *
     * @throws IoErrorException as {@link #listen} does
     */
    public SocketListener listenForSockets(ServerListenerOptions options, ConnectCallback onAccepted) throws IoErrorException {
        Objects.requireNonNull(options, "options");
        return start(options, Objects.requireNonNull(onAccepted, "onAccepted"));
    }

    private SocketListener start(ServerListenerOptions options, ConnectCallback onAccepted) throws IoErrorException {
        Socket socket = options.socket() != null ? options.socket() : new Socket(options.socketOptions());
        try {
            socket.bind(options.address());
            socket.listen(options.backlog());
            SocketListener listener = new SocketListener(socket, options.onDestroy(), group.nextLoop(), options.acceptWindow());
            listener.startAccepting(new Acceptor(options, onAccepted, listener));
            return listener;
        } catch (IoErrorException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private final class Acceptor implements AcceptListener {
        private final ServerListenerOptions options;
        private final ConnectCallback onAccepted; // null: build a channel per connection
        private final SocketListener listener;

        Acceptor(ServerListenerOptions options, ConnectCallback onAccepted, SocketListener listener) {
            this.options = options;
            this.onAccepted = onAccepted;
            this.listener = listener;
        }

        @Override
        public void onAcceptResult(Socket listening, Socket accepted, IoError error) {
            if (error != null) {
                fail(error);
                return;
            }
            listener.tookConnection();
            EventLoop loop = group.nextLoop();
            try {
                accepted.assignToEventLoop(loop);
            } catch (IoErrorException e) {
                accepted.close();
                listener.incrementAcceptWindow(1);
                fail(e.error());
                return;
            }
            if (onAccepted != null) {
                loop.scheduleNow(new Task("server-bootstrap-accepted", status -> {
                    if (status == TaskStatus.RUN_READY) {
                        onAccepted.onConnectionResult(accepted, null);
                    } else {
                        accepted.close();
                        listener.incrementAcceptWindow(1);
                        onAccepted.onConnectionResult(null, IoError.EVENT_LOOP_SHUTDOWN);
                    }
                }));
                return;
            }
            listener.retain();
            SocketChannels.open(accepted, options.enableReadBackPressure(), options.halfClose(), options.maxReadPerTurn(),
                    options.tls(), this::onReady, this::onShutdown);
        }

        private void fail(IoError error) {
            if (onAccepted != null) {
                onAccepted.onConnectionResult(null, error);
            } else {
                options.onIncoming().onChannel(null, error);
            }
        }

        private void onReady(Channel channel, IoError error) {
            if (error != null) {
                listener.release();
                listener.incrementAcceptWindow(1);
            }
            options.onIncoming().onChannel(channel, error);
        }

        private void onShutdown(Channel channel, IoError error) {
            try {
                if (options.onShutdown() != null) {
                    options.onShutdown().onChannel(channel, error);
                }
            } finally {
                listener.release();
            }
        }
    }
}
