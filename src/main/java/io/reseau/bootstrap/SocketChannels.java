package io.reseau.bootstrap;

import io.reseau.channel.Channel;
import io.reseau.channel.ChannelCallback;
import io.reseau.channel.ChannelOptions;
import io.reseau.channel.ChannelSlot;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.socket.Socket;
import io.reseau.socket.SocketChannelHandler;
import io.reseau.tls.AlpnHandler;
import io.reseau.tls.TlsChannelHandler;
import io.reseau.tls.TlsConnectionOptions;
import io.reseau.tls.TlsNegotiationListener;

/** What both bootstraps do with a connected socket: a channel on its loop, the socket handler first. */
final class SocketChannels {
    private SocketChannels() {}

    /** Whether a channel's setup was reported as a success (loop thread only). */
    private static final class Setup {
        boolean succeeded;
    }

    /**
     * Builds the channel on the socket's loop, with TLS after the socket handler when {@code tls} is
     * given. {@code onReady} gets the channel (error null) once it is ready, TLS handshake included,
     * or the reason setup failed; {@code onShutdown} gets the channel once it has shut down, only
     * after a successful setup. The channel is destroyed after it shuts down (closing the socket).
     */
    static void open(Socket socket, boolean readBackPressure, boolean halfClose, int maxReadPerTurn, TlsConnectionOptions tls,
            ChannelCallback onReady, ChannelCallback onShutdown) {
        Setup setup = new Setup();
        Channel.create(new ChannelOptions(socket.eventLoop(), (channel, error) -> {
            if (error != null) {
                socket.close();
                onReady.onChannel(null, error);
                return;
            }
            ChannelSlot slot = channel.newSlot();
            slot.setHandler(new SocketChannelHandler(socket, slot, maxReadPerTurn, halfClose));
            if (tls == null) {
                setup.succeeded = true;
                onReady.onChannel(channel, null);
            } else {
                addTls(channel, tls, halfClose, setup, onReady);
            }
        }, (channel, error) -> {
            try {
                if (setup.succeeded) {
                    onShutdown.onChannel(channel, error);
                }
            } finally {
                channel.destroy();
            }
        }, readBackPressure));
    }

    /** Adds the TLS handler and reports the channel when the handshake has ended. */
    private static void addTls(Channel channel, TlsConnectionOptions tls, boolean halfClose, Setup setup, ChannelCallback onReady) {
        TlsNegotiationListener callers = tls.onNegotiation();
        ChannelSlot slot = channel.newSlot();
        channel.insertEnd(slot);
        TlsChannelHandler handler;
        try {
            handler = new TlsChannelHandler(slot, tls.withOnNegotiation((tlsHandler, negotiation) -> {
                if (callers != null) {
                    callers.onNegotiation(tlsHandler, negotiation);
                }
                if (negotiation.succeeded()) {
                    setup.succeeded = true;
                    onReady.onChannel(channel, null);
                } else {
                    onReady.onChannel(null, negotiation.failure().error()); // the handler shuts the channel down
                }
            }), halfClose);
        } catch (IoErrorException | RuntimeException e) {
            slot.remove();
            channel.shutdown(e instanceof IoErrorException io ? io.error() : IoError.TLS_CTX_ERROR);
            onReady.onChannel(null, e instanceof IoErrorException io ? io.error() : IoError.TLS_CTX_ERROR);
            return;
        }
        slot.setHandler(handler);
        if (tls.protocolHandlers() != null) {
            ChannelSlot alpn = channel.newSlot();
            channel.insertEnd(alpn);
            alpn.setHandler(new AlpnHandler(tls.protocolHandlers()));
        }
        handler.startNegotiation();
    }
}
