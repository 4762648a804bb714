package io.reseau.channel;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A scriptable handler for channel tests (aws-c-io's read_write_test_handler): it logs what the
 * channel asks of it into a shared list, keeps the bytes it receives, optionally passes messages
 * on, and completes shutdowns at once unless told to hold them.
 */
class RecordingHandler implements ChannelHandler {
    final String name;
    final List<String> log;
    long initialWindow = Long.MAX_VALUE;
    long overhead;
    boolean passReadsOn;
    boolean holdShutdown;
    final List<byte[]> reads = new ArrayList<>();
    final List<byte[]> writes = new ArrayList<>();
    long windowGranted;
    int windowIncrementCalls;
    boolean destroyed;
    ChannelSlot heldSlot;
    ChannelDirection heldDirection;
    IoError heldError;

    RecordingHandler(String name, List<String> log) {
        this.name = name;
        this.log = log;
    }

    @Override
    public void processReadMessage(ChannelSlot slot, IoMessage message) throws IoErrorException {
        reads.add(bytesOf(message));
        if (passReadsOn && slot.right() != null) {
            slot.sendMessage(message, ChannelDirection.READ);
        } else {
            message.release();
        }
    }

    @Override
    public void processWriteMessage(ChannelSlot slot, IoMessage message) throws IoErrorException {
        writes.add(bytesOf(message));
        if (slot.left() != null) {
            slot.sendMessage(message, ChannelDirection.WRITE);
        } else {
            message.release();
        }
    }

    @Override
    public void incrementReadWindow(ChannelSlot slot, long size) {
        windowGranted += size;
        windowIncrementCalls++;
    }

    @Override
    public void shutdown(ChannelSlot slot, ChannelDirection direction, IoError error, boolean immediately) {
        log.add(name + " " + direction + " " + (error == null ? "ok" : error.name()));
        if (holdShutdown) {
            heldSlot = slot;
            heldDirection = direction;
            heldError = error;
        } else {
            slot.onHandlerShutdownComplete(direction, error, immediately);
        }
    }

    void completeHeldShutdown() {
        ChannelSlot slot = heldSlot;
        heldSlot = null;
        slot.onHandlerShutdownComplete(heldDirection, heldError, false);
    }

    @Override
    public long initialWindowSize() {
        return initialWindow;
    }

    @Override
    public long messageOverhead() {
        return overhead;
    }

    @Override
    public void destroy() {
        destroyed = true;
        log.add(name + " destroyed");
    }

    static byte[] bytesOf(IoMessage message) {
        return message.buffer().asSlice(0, message.length()).toArray(ValueLayout.JAVA_BYTE);
    }
}
