package io.reseau.bootstrap;

import io.reseau.channel.Channel;
import io.reseau.channel.ChannelDirection;
import io.reseau.channel.ChannelHandler;
import io.reseau.channel.ChannelSlot;
import io.reseau.channel.IoMessage;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.Task;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;

/** Application handlers for bootstrap tests, and a way to write into a channel from a test thread. */
final class TestHandlers {
    private TestHandlers() {}

    /** Installs {@code handler} at the right end of {@code channel}; on the channel's loop. */
    static ChannelSlot install(Channel channel, ChannelHandler handler) {
        ChannelSlot slot = channel.newSlot();
        channel.insertEnd(slot);
        slot.setHandler(handler);
        return slot;
    }

    /** Writes {@code data} from {@code slot} leftwards, in messages as large as the channel allows. */
    static void write(ChannelSlot slot, byte[] data) {
        slot.channel().eventLoop().scheduleNow(new Task("test-write", status -> {
            int offset = 0;
            while (offset < data.length) {
                IoMessage message = slot.acquireMaxMessageForWrite();
                int n = Math.min(message.capacity(), data.length - offset);
                MemorySegment.copy(data, offset, message.buffer(), ValueLayout.JAVA_BYTE, 0, n);
                message.setLength(n);
                try {
                    slot.sendMessage(message, ChannelDirection.WRITE);
                } catch (IoErrorException e) {
                    message.release();
                    throw new IllegalStateException(e);
                }
                offset += n;
            }
        }));
    }

    /** Base for the handlers below: the last slot of a channel, shutting down at once. */
    abstract static class AppHandler implements ChannelHandler {
        final long initialWindow;

        AppHandler(long initialWindow) {
            this.initialWindow = initialWindow;
        }

        @Override
        public void processWriteMessage(ChannelSlot slot, IoMessage message) throws IoErrorException {
            slot.sendMessage(message, ChannelDirection.WRITE);
        }

        @Override
        public void incrementReadWindow(ChannelSlot slot, long size) {}

        @Override
        public void shutdown(ChannelSlot slot, ChannelDirection direction, IoError error, boolean immediately) {
            slot.onHandlerShutdownComplete(direction, error, immediately);
        }

        @Override
        public long initialWindowSize() {
            return initialWindow;
        }

        @Override
        public long messageOverhead() {
            return 0;
        }

        @Override
        public void destroy() {}
    }

    /** Sends every byte it reads back, and re-opens its window by what it consumed. */
    static final class Echo extends AppHandler {
        volatile long echoed; // written on the loop, read by tests

        Echo(long initialWindow) {
            super(initialWindow);
        }

        @Override
        public void processReadMessage(ChannelSlot slot, IoMessage message) throws IoErrorException {
            int length = message.length();
            IoMessage reply = slot.channel().acquireMessage(length);
            MemorySegment.copy(message.buffer(), 0, reply.buffer(), 0, length);
            reply.setLength(length);
            message.release();
            echoed += length;
            slot.sendMessage(reply, ChannelDirection.WRITE);
            slot.incrementReadWindow(length);
        }
    }

    /** Keeps what it reads; completes {@link #received} once {@code expected} bytes arrived. */
    static final class Collector extends AppHandler {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int expected;
        private final boolean reopenWindow;
        final CompletableFuture<byte[]> received = new CompletableFuture<>();
        final CompletableFuture<IoError> readShutdown = new CompletableFuture<>();
        final CompletableFuture<Integer> endOfStream = new CompletableFuture<>();

        /** Channels asked to read while a message is taken, as a handler may (loop thread). */
        final java.util.List<Channel> readWhileTaking = new java.util.concurrent.CopyOnWriteArrayList<>();

        Collector(int expected, long initialWindow, boolean reopenWindow) {
            super(initialWindow);
            this.expected = expected;
            this.reopenWindow = reopenWindow;
        }

        @Override
        public void processReadMessage(ChannelSlot slot, IoMessage message) {
            readWhileTaking.forEach(Channel::triggerRead);
            if (message.tag() == IoMessage.TAG_END_OF_STREAM) {
                endOfStream.complete(bytes.size());
                message.release();
                return;
            }
            bytes.write(message.buffer().asSlice(0, message.length()).toArray(ValueLayout.JAVA_BYTE), 0, message.length());
            int length = message.length();
            message.release();
            if (reopenWindow) {
                slot.incrementReadWindow(length);
            }
            if (bytes.size() >= expected) {
                received.complete(bytes.toByteArray());
            }
        }

        @Override
        public void shutdown(ChannelSlot slot, ChannelDirection direction, IoError error, boolean immediately) {
            if (direction == ChannelDirection.READ) {
                readShutdown.complete(error);
            }
            super.shutdown(slot, direction, error, immediately);
        }
    }
}
