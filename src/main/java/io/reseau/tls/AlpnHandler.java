package io.reseau.tls;

import io.reseau.channel.ChannelDirection;
import io.reseau.channel.ChannelHandler;
import io.reseau.channel.ChannelSlot;
import io.reseau.channel.IoMessage;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * aws-c-io's ALPN handler: placed right of a {@link TlsChannelHandler}, it waits for the protocol
 * the handshake agreed ({@link IoMessage#TAG_TLS_NEGOTIATED_PROTOCOL}) and puts the handler for
 * that protocol in its own slot. Anything else reaching it first is a bug in the channel's setup:
 * the channel shuts down with {@code CHANNEL_UNKNOWN_MESSAGE_TYPE}, as aws-c-io's does. Bootstraps
 * put it in place when {@link TlsConnectionOptions#protocolHandlers()} is given.
 */
public final class AlpnHandler implements ChannelHandler {
    /** Makes the handler for the agreed protocol; runs on the channel's loop. */
    @FunctionalInterface
    public interface ProtocolHandlerFactory {
        /** @return the handler to install in {@code slot}; null refuses the protocol (the channel shuts down) */
        ChannelHandler onProtocolNegotiated(ChannelSlot slot, String protocol);
    }

    private final ProtocolHandlerFactory factory;

    public AlpnHandler(ProtocolHandlerFactory factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public void processReadMessage(ChannelSlot slot, IoMessage message) throws IoErrorException {
        if (message.tag() != IoMessage.TAG_TLS_NEGOTIATED_PROTOCOL) {
            message.release();
            throw new IoErrorException(IoError.CHANNEL_UNKNOWN_MESSAGE_TYPE,
                    "the ALPN handler got data before the negotiated protocol");
        }
        byte[] name = new byte[message.length()];
        java.lang.foreign.MemorySegment.copy(message.buffer(), ValueLayout.JAVA_BYTE, 0, name, 0, name.length);
        message.release();
        String protocol = new String(name, StandardCharsets.UTF_8);
        ChannelHandler next = factory.onProtocolNegotiated(slot, protocol);
        if (next == null) {
            throw new IoErrorException(IoError.UNHANDLED_ALPN_PROTOCOL_MESSAGE, "no handler for the ALPN protocol '" + protocol + "'");
        }
        slot.setHandler(next);
    }

    @Override
    public void processWriteMessage(ChannelSlot slot, IoMessage message) throws IoErrorException {
        throw new IoErrorException(IoError.CHANNEL_ERROR_ERROR_CANT_ACCEPT_INPUT, "the ALPN handler writes nothing");
    }

    @Override
    public void incrementReadWindow(ChannelSlot slot, long size) {
        // it is replaced as soon as its one message arrives
    }

    @Override
    public void shutdown(ChannelSlot slot, ChannelDirection direction, IoError error, boolean freeScarceResourcesImmediately) {
        slot.onHandlerShutdownComplete(direction, error, freeScarceResourcesImmediately);
    }

    @Override
    public long initialWindowSize() {
        return Long.MAX_VALUE; // the protocol's name must get through whatever its length
    }

    @Override
    public long messageOverhead() {
        return 0;
    }

    @Override
    public void destroy() {}
}
