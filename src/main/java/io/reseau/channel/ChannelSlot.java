package io.reseau.channel;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.util.Objects;

/**
 * A position in a channel (aws-c-io's {@code aws_channel_slot}): it holds one handler, links to its
 * neighbours, and keeps the read window of its handler (how many bytes the handler to its left may
 * still send it). Loop thread only.
 */
public final class ChannelSlot {
    final Channel channel;
    ChannelSlot left;
    ChannelSlot right;
    ChannelHandler handler;
    long windowSize;
    long windowUpdateBatch;
    long upstreamMessageOverhead;

    ChannelSlot(Channel channel) {
        this.channel = channel;
    }

    public Channel channel() {
        return channel;
    }

    public ChannelHandler handler() {
        return handler;
    }

    public ChannelSlot left() {
        return left;
    }

    public ChannelSlot right() {
        return right;
    }

    /** How many more bytes this slot's handler may receive: its read window. */
    public long windowSize() {
        return windowSize;
    }

    /**
     * Installs the handler, recomputes message overheads, and grants the handler's initial window
     * (so the handler to the left learns it may send).
     */
    public void setHandler(ChannelHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        channel.updateMessageOverheads();
        incrementReadWindow(handler.initialWindowSize());
    }

    /** Puts {@code slot} directly to the right of this one. */
    public void insertRight(ChannelSlot slot) {
        channel.requireLoopThread("insertRight");
        slot.right = right;
        if (right != null) {
            right.left = slot;
        }
        right = slot;
        slot.left = this;
        channel.updateMessageOverheads();
    }

    /** Puts {@code slot} directly to the left of this one. */
    public void insertLeft(ChannelSlot slot) {
        channel.requireLoopThread("insertLeft");
        slot.left = left;
        slot.right = this;
        if (left != null) {
            left.right = slot;
        } else {
            channel.first = slot;
        }
        left = slot;
        channel.updateMessageOverheads();
    }

    /** Takes this slot out of the channel and destroys its handler. */
    public void remove() {
        channel.requireLoopThread("remove");
        unlink();
        if (handler != null) {
            handler.destroy();
        }
        channel.updateMessageOverheads();
    }

    /** Puts {@code replacement} where this slot is and destroys this slot's handler. */
    public void replace(ChannelSlot replacement) {
        channel.requireLoopThread("replace");
        replacement.left = left;
        replacement.right = right;
        if (left != null) {
            left.right = replacement;
        } else {
            channel.first = replacement;
        }
        if (right != null) {
            right.left = replacement;
        }
        left = null;
        right = null;
        if (handler != null) {
            handler.destroy();
        }
        channel.updateMessageOverheads();
    }

    /**
     * Passes a message on: a read to the handler on the right, a write to the handler on the left.
     * With read back-pressure, a read larger than the right slot's window is refused
     * ({@link IoError#CHANNEL_READ_WOULD_EXCEED_WINDOW}, a bug in the sender) and the sender keeps
     * the message.
     */
    public void sendMessage(IoMessage message, ChannelDirection direction) throws IoErrorException {
        if (direction == ChannelDirection.READ) {
            ChannelSlot target = requireNeighbour(right, "right");
            if (channel.readBackPressure) {
                if (target.windowSize < message.length()) {
                    throw new IoErrorException(IoError.CHANNEL_READ_WOULD_EXCEED_WINDOW,
                            message.length() + " bytes sent to a window of " + target.windowSize);
                }
                target.windowSize -= message.length();
                channel.scheduleWindowUpdateIfScarce();
            }
            target.handler.processReadMessage(target, message);
        } else {
            ChannelSlot target = requireNeighbour(left, "left");
            target.handler.processWriteMessage(target, message);
        }
    }

    /**
     * Tells the handler to the right that the peer's stream has ended (an empty
     * {@link IoMessage#TAG_END_OF_STREAM} read); if it cannot take it, the channel shuts down
     * with the reason.
     */
    public void sendEndOfStream() {
        IoMessage end = channel.acquireMessage(1); // the pool hands out no empty messages
        end.setTag(IoMessage.TAG_END_OF_STREAM);
        try {
            sendMessage(end, ChannelDirection.READ);
        } catch (IoErrorException e) {
            end.release();
            channel.shutdown(e.error());
        }
    }

    /**
     * Grants the handler to the left {@code size} more bytes. Grants are batched: they reach the
     * left only once some slot's window runs low, in one channel task (aws-c-io PR #818).
     */
    public void incrementReadWindow(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("a window increment cannot be negative: " + size);
        }
        if (channel.readBackPressure && channel.state() != ChannelState.SHUT_DOWN) {
            windowUpdateBatch = saturatingAdd(windowUpdateBatch, size);
            channel.scheduleWindowUpdateIfScarce();
        }
    }

    /**
     * What the handler to the left may send this slot: its window plus grants not yet passed on
     * (batched). A handler sizing its own window from its right neighbour's compares against this.
     */
    public long grantedWindow() {
        return saturatingAdd(windowSize, windowUpdateBatch);
    }

    /**
     * How many bytes the handler to the right can take now: unbounded without back-pressure, and
     * none while there is no handler to the right (a channel whose setup added none, say because it
     * shut the channel down at once, must not read what it could not pass on).
     */
    public long downstreamReadWindow() {
        if (right == null) {
            return 0;
        }
        return channel.readBackPressure ? right.windowSize : Long.MAX_VALUE;
    }

    /** The bytes handlers to the left of this one add to each message written. */
    public long upstreamMessageOverhead() {
        return upstreamMessageOverhead;
    }

    /** A message as large as a write from this slot may be: 16 KiB less the overhead to the left. */
    public IoMessage acquireMaxMessageForWrite() {
        long size = MessagePool.MAX_FRAGMENT_SIZE - upstreamMessageOverhead;
        if (size <= 0) {
            throw new IllegalStateException("handlers to the left add " + upstreamMessageOverhead
                    + " bytes of overhead, more than a whole message");
        }
        return channel.acquireMessage((int) size);
    }

    /** Asks this slot's handler to shut down one direction. */
    public void shutdown(ChannelDirection direction, IoError error, boolean freeScarceResourcesImmediately) {
        handler.shutdown(this, direction, error, freeScarceResourcesImmediately);
    }

    /**
     * Called by a handler when it has shut down one direction: passes the shutdown on to the next
     * handler in that direction, or finishes the channel's shutdown.
     */
    public void onHandlerShutdownComplete(ChannelDirection direction, IoError error, boolean freeScarceResourcesImmediately) {
        channel.onHandlerShutdownComplete(this, direction, error, freeScarceResourcesImmediately);
    }

    void unlink() {
        if (left != null) {
            left.right = right;
        } else if (channel.first == this) {
            channel.first = right;
        }
        if (right != null) {
            right.left = left;
        }
        left = null;
        right = null;
    }

    private static ChannelSlot requireNeighbour(ChannelSlot neighbour, String side) {
        if (neighbour == null || neighbour.handler == null) {
            throw new IllegalStateException("no handler to the " + side + " to send the message to");
        }
        return neighbour;
    }

    static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
