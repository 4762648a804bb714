package io.reseau.bootstrap;

import io.reseau.channel.Channel;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.socket.AcceptListener;
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
        Socket socket = options.socket() != null ? options.socket() : new Socket(options.socketOptions());
        try {
            socket.bind(options.address());
            socket.listen(options.backlog());
            SocketListener listener = new SocketListener(socket, options.onDestroy(), group.nextLoop(), options.acceptWindow());
            listener.startAccepting(new Acceptor(options, listener));
            return listener;
        } catch (IoErrorException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private final class Acceptor implements AcceptListener {
        private final ServerListenerOptions options;
        private final SocketListener listener;

        Acceptor(ServerListenerOptions options, SocketListener listener) {
            this.options = options;
            this.listener = listener;
        }

        @Override
        public void onAcceptResult(Socket listening, Socket accepted, IoError error) {
            if (error != null) {
                options.onIncoming().onChannel(null, error);
                return;
            }
            listener.tookConnection();
            EventLoop loop = group.nextLoop();
            try {
                accepted.assignToEventLoop(loop);
            } catch (IoErrorException e) {
                accepted.close();
                listener.incrementAcceptWindow(1);
                options.onIncoming().onChannel(null, e.error());
                return;
            }
            listener.retain();
            SocketChannels.open(accepted, options.enableReadBackPressure(), options.halfClose(), options.maxReadPerTurn(),
                    options.tls(), this::onReady, this::onShutdown);
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
