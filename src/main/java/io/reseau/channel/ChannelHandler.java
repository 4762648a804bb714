package io.reseau.channel;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.util.List;

/**
 * One stage of a channel (aws-c-io's {@code aws_channel_handler} vtable). All methods run on the
 * channel's loop thread.
 */
public interface ChannelHandler {

    /**
     * A message arriving from the left. Returning normally means the handler now owns it (it passes
     * it on or releases it); throwing leaves it with the sender.
     */
    void processReadMessage(ChannelSlot slot, IoMessage message) throws IoErrorException;

    /** A message arriving from the right, to be written; ownership as for reads. */
    void processWriteMessage(ChannelSlot slot, IoMessage message) throws IoErrorException;

    /** The handler to the right can take {@code size} more bytes. */
    void incrementReadWindow(ChannelSlot slot, long size) throws IoErrorException;

    /**
     * Shut down one direction, then report with {@link ChannelSlot#onHandlerShutdownComplete}
     * (at once or later). Reads shut down first, left to right; then writes, right to left.
     *
     * @param error null for a clean shutdown
     * @param freeScarceResourcesImmediately release sockets and similar before returning
     */
    void shutdown(ChannelSlot slot, ChannelDirection direction, IoError error, boolean freeScarceResourcesImmediately);

    /** Bytes this handler can take from the left before it first grants more. */
    long initialWindowSize();

    /** Bytes this handler adds to each message written through it (framing, TLS records). */
    long messageOverhead();

    /** Releases everything; the channel is done with the handler. */
    void destroy();

    /** Starts a new statistics interval. */
    default void resetStatistics() {}

    /** Adds this handler's figures for the current interval, if it keeps any. */
    default void gatherStatistics(List<HandlerStatistics> statistics) {}

    /** A data source (the socket handler) reads again, even without a new I/O event. */
    default void triggerRead(ChannelSlot slot) {}
}
