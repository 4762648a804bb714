package io.reseau.bootstrap;

import io.reseau.channel.Channel;
import io.reseau.channel.ChannelCallback;
import io.reseau.channel.ChannelOptions;
import io.reseau.channel.ChannelSlot;
import io.reseau.socket.Socket;
import io.reseau.socket.SocketChannelHandler;

/** What both bootstraps do with a connected socket: a channel on its loop, the socket handler first. */
final class SocketChannels {
    private SocketChannels() {}

    /**
     * Builds the channel on the socket's loop. {@code onReady} gets the channel (error null) or the
     * reason setup failed (the socket is then closed); {@code onShutdown} gets the channel once it
     * has shut down, after which it is destroyed (closing the socket).
     */
    static void open(Socket socket, boolean readBackPressure, boolean halfClose, int maxReadPerTurn,
            ChannelCallback onReady, ChannelCallback onShutdown) {
        Channel.create(new ChannelOptions(socket.eventLoop(), (channel, error) -> {
            if (error != null) {
                socket.close();
                onReady.onChannel(null, error);
                return;
            }
            ChannelSlot slot = channel.newSlot();
            slot.setHandler(new SocketChannelHandler(socket, slot, maxReadPerTurn, halfClose));
            onReady.onChannel(channel, null);
        }, (channel, error) -> {
            try {
                onShutdown.onChannel(channel, error);
            } finally {
                channel.destroy();
            }
        }, readBackPressure));
    }
}
