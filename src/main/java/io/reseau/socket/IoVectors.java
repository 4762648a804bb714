package io.reseau.socket;

import io.reseau.channel.IoMessage;
import io.reseau.eventloop.EventLoopLocal;
import io.reseau.internal.ffi.Libc;
import io.reseau.internal.ffi.SocketCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The iovec array a loop's sockets use for {@code readv} and {@code writev}, and the array of
 * messages a readv fills: one per loop, used on that loop's thread, so that no socket needs them
 * for itself (idle connections are many). The iovecs serve one call at a time: nothing runs
 * between filling them and the call.
 */
final class IoVectors {
    /** Buffers filled by one readv. */
    static final int MAX_READ_BUFFERS = 8;
    /** Queued writes sent by one writev. */
    static final int MAX_WRITE_BUFFERS = 16;

    static final EventLoopLocal<IoVectors> PER_LOOP = new EventLoopLocal<>(loop -> new IoVectors(), IoVectors::close);

    private final IoMessage[] readMessages = new IoMessage[MAX_READ_BUFFERS];
    private boolean readMessagesClaimed;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment iovecs = arena.allocate(Libc.IOVEC, Math.max(MAX_READ_BUFFERS, MAX_WRITE_BUFFERS));
    private final MemorySegment message = arena.allocate(SocketCalls.MSGHDR);

    IoVectors() {
        message.set(ValueLayout.ADDRESS, SocketCalls.MSGHDR_IOV, iovecs);
    }

    /** Sets entry {@code index} to {@code buffer[offset, offset + length)}. */
    void set(int index, MemorySegment buffer, long offset, long length) {
        long base = index * Libc.IOVEC.byteSize();
        iovecs.set(ValueLayout.ADDRESS, base, buffer.asSlice(offset, length));
        iovecs.set(ValueLayout.JAVA_LONG, base + ValueLayout.ADDRESS.byteSize(), length);
    }

    /**
     * An array for the messages one readv fills, held while they are delivered. Delivering runs
     * handlers, which may make another channel of this loop read: that read gets an array of its own.
     */
    IoMessage[] claimReadMessages() {
        if (readMessagesClaimed) {
            return new IoMessage[MAX_READ_BUFFERS];
        }
        readMessagesClaimed = true;
        return readMessages;
    }

    void releaseReadMessages(IoMessage[] messages) {
        if (messages == readMessages) {
            readMessagesClaimed = false;
        }
    }

    MemorySegment array() {
        return iovecs;
    }

    /** A {@code struct msghdr} carrying the first {@code count} entries, for sendmsg. */
    MemorySegment message(int count) {
        message.set(ValueLayout.JAVA_LONG, SocketCalls.MSGHDR_IOVLEN, count);
        return message;
    }

    private void close() {
        arena.close();
    }
}
