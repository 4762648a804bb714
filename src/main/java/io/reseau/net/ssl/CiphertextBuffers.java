package io.reseau.net.ssl;

import io.reseau.internal.pool.SharedPool;
import java.nio.ByteBuffer;

/**
 * The buffers stream sockets hold ciphertext in while it moves, shared by every stream socket of
 * the process: a side holds one only while it has ciphertext in it. Two sizes: a record's, for a
 * handshake, a message and whatever a quiet connection sends; and a batch of records, for a large
 * write (its records go out in one send) and a reader whose peer sends faster than it reads (one
 * receive takes several records), so that bulk data costs a system call per batch rather than per
 * record while a burst of handshakes does not take (and zero) batches.
 */
final class CiphertextBuffers {
    static final int RECORDS_PER_BATCH = 4;
    static final int BATCH_LENGTH = RECORDS_PER_BATCH * RecordFraming.MAX_RECORD_LENGTH;
    // As many as the calls that can run at once, and some: 72 KiB of records and 144 KiB of batches
    // kept per processor.
    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();
    private static final SharedPool<ByteBuffer> RECORDS = new SharedPool<>(4 * PROCESSORS,
            () -> ByteBuffer.allocate(RecordFraming.MAX_RECORD_LENGTH), buffer -> {});
    private static final SharedPool<ByteBuffer> BATCHES = new SharedPool<>(2 * PROCESSORS,
            () -> ByteBuffer.allocate(BATCH_LENGTH), buffer -> {});

    private CiphertextBuffers() {}

    /** An empty buffer with room for a batch of records, or for one. */
    static ByteBuffer take(boolean batch) {
        return batch ? BATCHES.take() : RECORDS.take();
    }

    /** Keeps a buffer {@link #take} gave for the next taker; any other buffer is left to the collector. */
    static void giveBack(ByteBuffer buffer) {
        if (buffer.capacity() == BATCH_LENGTH) {
            BATCHES.giveBack(buffer.clear());
        } else if (buffer.capacity() == RecordFraming.MAX_RECORD_LENGTH) {
            RECORDS.giveBack(buffer.clear());
        }
    }
}
