package io.reseau.net;

import io.reseau.channel.Channel;
import io.reseau.channel.ChannelDirection;
import io.reseau.channel.ChannelHandler;
import io.reseau.channel.ChannelSlot;
import io.reseau.channel.IoMessage;
import io.reseau.channel.WriteCompletion;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;

/**
 * The last handler of a blocking socket's channel: it hands read messages to its
 * {@link Connection}'s channel engine, passes the connection's writes on, and tells the connection
 * how the channel ends. Its window starts closed: until TLS is started, the connection's readers
 * read the socket themselves.
 */
final class FacadeHandler implements ChannelHandler, WriteCompletion {
    private final Connection connection;

    FacadeHandler(Connection connection) {
        this.connection = connection;
    }

    @Override
    public void processReadMessage(ChannelSlot slot, IoMessage message) {
        connection.messages().onRead(message); // the window opens only once the channel engine is there
    }

    @Override
    public void processWriteMessage(ChannelSlot slot, IoMessage message) throws IoErrorException {
        slot.sendMessage(message, ChannelDirection.WRITE);
    }

    @Override
    public void incrementReadWindow(ChannelSlot slot, long size) {
        // the last slot: nothing to its right grants it anything
    }

    @Override
    public void shutdown(ChannelSlot slot, ChannelDirection direction, IoError error, boolean freeScarceResourcesImmediately) {
        if (direction == ChannelDirection.READ) {
            connection.onReadShutdown(error);
        } else {
            connection.onChannelGone();
        }
        slot.onHandlerShutdownComplete(direction, error, freeScarceResourcesImmediately);
    }

    @Override
    public long initialWindowSize() {
        return 0;
    }

    @Override
    public long messageOverhead() {
        return 0;
    }

    @Override
    public void destroy() {
        connection.onChannelGone();
    }

    @Override
    public void onWriteCompleted(Channel channel, IoMessage message, IoError error, Object context) {
        connection.messages().onWriteCompleted((Integer) context, error);
    }
}
