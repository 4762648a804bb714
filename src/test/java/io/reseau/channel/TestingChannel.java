package io.reseau.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.ManualEventLoop;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * aws-c-io's testing channel: a channel on a {@link ManualEventLoop} whose left-most handler stands
 * in for the socket. Tests push reads in from the left, see what reaches the left as writes and
 * how much window the channel grants, and run the loop's tasks by hand.
 */
final class TestingChannel {
    final ManualEventLoop loop = new ManualEventLoop();
    final List<String> log = new ArrayList<>();
    final RecordingHandler source = new RecordingHandler("source", log);
    final Channel channel;
    private IoError setupError;
    private boolean shutdownCompleted;
    private IoError shutdownError;

    TestingChannel(boolean readBackPressure) {
        channel = Channel.create(new ChannelOptions(loop, (c, error) -> setupError = error,
                (c, error) -> {
                    shutdownCompleted = true;
                    shutdownError = error;
                    log.add("shutdown completed");
                }, readBackPressure));
        loop.runCurrentlyQueuedTasks();
        assertThat(setupError).isNull();
        channel.newSlot().setHandler(source);
    }

    /** Adds a handler at the right end of the channel. */
    ChannelSlot installDownstream(ChannelHandler handler) {
        ChannelSlot slot = channel.newSlot();
        channel.insertEnd(slot);
        slot.setHandler(handler);
        return slot;
    }

    /** Sends {@code data} from the source slot to the right, as the socket would. */
    void pushRead(byte[] data) throws IoErrorException {
        IoMessage message = channel.acquireMessage(data.length);
        MemorySegment.copy(data, 0, message.buffer(), ValueLayout.JAVA_BYTE, 0, data.length);
        message.setLength(data.length);
        try {
            channel.firstSlot().sendMessage(message, ChannelDirection.READ);
        } catch (IoErrorException e) {
            message.release();
            throw e;
        }
    }

    /** Sends {@code data} from {@code slot} to the left. */
    void pushWrite(ChannelSlot slot, byte[] data) throws IoErrorException {
        IoMessage message = channel.acquireMessage(data.length);
        MemorySegment.copy(data, 0, message.buffer(), ValueLayout.JAVA_BYTE, 0, data.length);
        message.setLength(data.length);
        slot.sendMessage(message, ChannelDirection.WRITE);
    }

    void drain() {
        loop.drainQueuedTasks();
    }

    boolean isShutdownCompleted() {
        return shutdownCompleted;
    }

    IoError shutdownError() {
        return shutdownError;
    }
}
