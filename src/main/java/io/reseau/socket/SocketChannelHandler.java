package io.reseau.socket;

import io.reseau.channel.ChannelDirection;
import io.reseau.channel.ChannelHandler;
import io.reseau.channel.ChannelSlot;
import io.reseau.channel.ChannelTask;
import io.reseau.channel.HandlerStatistics;
import io.reseau.channel.IoMessage;
import io.reseau.channel.MessagePool;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.TaskStatus;
import java.util.List;
import java.util.Objects;

/**
 * The first handler of every socket channel (aws-c-io's socket channel handler): it turns the
 * socket's readability into read messages sent right, and writes the messages that reach it.
 *
 * <p>Reads take at most {@code min(downstream window, maxReadSize)} per turn; a turn that fills
 * {@code maxReadSize} yields and continues in a new task, so one busy connection cannot starve
 * the others on its loop. After the peer hangs up it keeps reading until the socket itself
 * reports the end, so bytes sent just before the hang-up are delivered (aws-c-io PR #642).
 *
 * <p>At the end of the stream it shuts the channel down, as aws-c-io; in half-close mode it sends
 * an empty {@link IoMessage#TAG_END_OF_STREAM} message downstream instead, stops reading, and
 * leaves the channel open for writing (a peer that called {@code shutdownOutput} still reads our
 * reply). A reset or any other error shuts the channel down in both modes.
 */
public final class SocketChannelHandler implements ChannelHandler {
    /** aws-c-io's bootstraps read at most one message's worth per turn. */
    public static final int DEFAULT_MAX_READ_SIZE = MessagePool.MAX_FRAGMENT_SIZE;

    private final Socket socket;
    private final ChannelSlot slot;
    private final int maxReadSize;
    private final boolean halfClose;
    private boolean inputEnded;
    private boolean reading; // doRead is on the stack
    private boolean readScheduled;
    private boolean hangUpSeen;
    private boolean shuttingDown;
    private IoError writeShutdownError;
    private long bytesRead;
    private long bytesWritten;

    /**
     * Installs the handler in {@code slot}, which must be the channel's first, for a socket already
     * on the channel's event loop. Loop thread only.
     */
    public SocketChannelHandler(Socket socket, ChannelSlot slot, int maxReadSize, boolean halfClose) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.slot = Objects.requireNonNull(slot, "slot");
        if (slot.channel().firstSlot() != slot) {
            throw new IllegalArgumentException("the socket handler must be in the channel's first slot");
        }
        if (socket.eventLoop() != slot.channel().eventLoop()) {
            throw new IllegalArgumentException("the socket must be on the channel's event loop");
        }
        if (maxReadSize <= 0) {
            throw new IllegalArgumentException("maxReadSize must be positive, got " + maxReadSize);
        }
        this.maxReadSize = maxReadSize;
        this.halfClose = halfClose;
        socket.subscribeToReadableEvents(this::onReadable);
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void processReadMessage(ChannelSlot slot, IoMessage message) throws IoErrorException {
        throw new IoErrorException(IoError.CHANNEL_ERROR_ERROR_CANT_ACCEPT_INPUT, "nothing is left of the socket handler");
    }

    @Override
    public void processWriteMessage(ChannelSlot slot, IoMessage message) throws IoErrorException {
        if (!socket.isOpen()) {
            throw new IoErrorException(IoError.SOCKET_CLOSED, "write to a closed socket");
        }
        socket.write(message.buffer(), 0, message.length(), this::onWriteCompleted, message);
    }

    @Override
    public void incrementReadWindow(ChannelSlot slot, long size) {
        if (!shuttingDown) {
            scheduleRead();
        }
    }

    @Override
    public void shutdown(ChannelSlot slot, ChannelDirection direction, IoError error, boolean freeScarceResourcesImmediately) {
        shuttingDown = true;
        if (direction == ChannelDirection.READ) {
            if (freeScarceResourcesImmediately) {
                socket.close();
            }
            slot.onHandlerShutdownComplete(direction, error, freeScarceResourcesImmediately);
            return;
        }
        // Close in a task rather than now, so a read already scheduled still delivers what it can.
        socket.close();
        writeShutdownError = error;
        slot.channel().scheduleTaskNow(new ChannelTask("socket-handler-close", this::onCloseTask));
    }

    @Override
    public long initialWindowSize() {
        return Long.MAX_VALUE; // nothing sends reads to the first slot
    }

    @Override
    public long messageOverhead() {
        return 0;
    }

    @Override
    public void destroy() {
        socket.close();
    }

    @Override
    public void resetStatistics() {
        bytesRead = 0;
        bytesWritten = 0;
    }

    @Override
    public void gatherStatistics(List<HandlerStatistics> statistics) {
        statistics.add(new SocketStatistics(bytesRead, bytesWritten));
    }

    @Override
    public void triggerRead(ChannelSlot slot) {
        doRead();
    }

    private void onReadable(Socket readable, IoError error) {
        // Whatever the event (hang-up, error), read: the socket reports the end itself, after
        // every byte that came before it.
        hangUpSeen |= error != null;
        doRead();
    }

    private void scheduleRead() {
        if (!readScheduled) {
            readScheduled = true;
            // A task per scheduled read (at most one per window grant) rather than one kept for
            // good: an idle connection then holds none.
            slot.channel().scheduleTaskNow(new ChannelTask("socket-handler-read", this::onReadTask));
        }
    }

    private void onReadTask(TaskStatus status) {
        readScheduled = false;
        if (status == TaskStatus.RUN_READY) {
            doRead();
        }
    }

    private void doRead() {
        if (shuttingDown || inputEnded || !socket.isOpen()) {
            return;
        }
        if (reading) {
            // A handler to the right asked for a read while this one delivers: later, not nested.
            scheduleRead();
            return;
        }
        if (slot.downstreamReadWindow() == 0) {
            return; // nothing may be read (an owner reading the socket itself keeps it so)
        }
        IoVectors vectors = IoVectors.PER_LOOP.get(slot.channel().eventLoop());
        IoMessage[] buffers = vectors.claimReadMessages();
        reading = true;
        try {
            readIntoWindow(vectors, buffers);
        } finally {
            reading = false;
            vectors.releaseReadMessages(buffers);
        }
    }

    private void readIntoWindow(IoVectors vectors, IoMessage[] buffers) {
        long limit = Math.min(slot.downstreamReadWindow(), maxReadSize);
        long total = 0;
        IoError error = null;
        while (total < limit) {
            // One readv fills up to MAX_READ_BUFFERS pooled messages.
            int count = 0;
            long requested = 0;
            while (count < IoVectors.MAX_READ_BUFFERS && total + requested < limit) {
                IoMessage message = slot.channel().acquireMessage((int) Math.min(limit - total - requested, Integer.MAX_VALUE));
                buffers[count] = message;
                vectors.set(count++, message.buffer(), 0, message.capacity());
                requested += message.capacity();
            }
            long n;
            try {
                n = socket.read(vectors.array(), count);
            } catch (IoErrorException e) {
                releaseBuffers(buffers, 0, count);
                error = e.error();
                break;
            }
            if (n == 0) {
                releaseBuffers(buffers, 0, count);
                error = IoError.READ_WOULD_BLOCK;
                break;
            }
            total += n;
            bytesRead += n;
            if (!deliver(buffers, n, count)) {
                return;
            }
            // After a short read everything there was has been taken: later bytes raise a new
            // edge, so the read that would only report EAGAIN is skipped. Not after a hang-up,
            // though: the end of stream is still to be read and no new edge will announce it.
            if (n < requested && !hangUpSeen) {
                error = IoError.READ_WOULD_BLOCK;
                break;
            }
        }
        if (halfClose && isOrderlyEnd(error)) {
            endInput();
        } else if (error != null && error != IoError.READ_WOULD_BLOCK) {
            slot.channel().shutdown(error);
        } else if (total == maxReadSize) {
            scheduleRead(); // yield to the loop's other work, then go on
        }
        // Otherwise the window is spent: incrementReadWindow() schedules the next read.
    }

    /**
     * Sends the first of {@code buffers} holding the {@code n} bytes read to the right, and releases
     * the rest. False if the channel is going down (it took care of the messages).
     */
    private boolean deliver(IoMessage[] buffers, long n, int count) {
        long left = n;
        for (int i = 0; i < count; i++) {
            IoMessage message = buffers[i];
            buffers[i] = null;
            if (left == 0) {
                message.release();
                continue;
            }
            int length = (int) Math.min(left, message.capacity());
            message.setLength(length);
            left -= length;
            try {
                slot.sendMessage(message, ChannelDirection.READ);
            } catch (IoErrorException e) {
                message.release();
                releaseBuffers(buffers, i + 1, count);
                slot.channel().shutdown(e.error());
                return false;
            }
            if (shuttingDown) {
                releaseBuffers(buffers, i + 1, count); // a downstream handler shut the channel down
                return false;
            }
        }
        return true;
    }

    private static void releaseBuffers(IoMessage[] buffers, int from, int to) {
        for (int i = from; i < to; i++) {
            buffers[i].release();
            buffers[i] = null;
        }
    }

    /** The peer ended its stream (not a reset), or this side shut its input down. */
    private boolean isOrderlyEnd(IoError error) {
        return (error == IoError.SOCKET_CLOSED && !socket.isResetByPeer())
                || (error == IoError.SOCKET_NOT_CONNECTED && socket.isInputShutdown());
    }

    /** The peer's orderly end of stream in half-close mode: tell downstream, read no more. */
    private void endInput() {
        inputEnded = true;
        slot.sendEndOfStream();
    }

    private void onWriteCompleted(Socket written, IoError error, long bytes, Object context) {
        IoMessage message = (IoMessage) context;
        bytesWritten += bytes;
        if (message.completion() != null) {
            message.completion().onWriteCompleted(slot.channel(), message, error, message.completionContext());
        }
        message.release();
        if (error != null) {
            slot.channel().shutdown(error);
        }
    }

    private void onCloseTask(TaskStatus status) {
        slot.onHandlerShutdownComplete(ChannelDirection.WRITE, writeShutdownError, false);
    }
}
