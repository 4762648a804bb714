package io.reseau.pipe;

import io.reseau.common.IoError;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** One write queued on a {@link PipeWriteEnd}: its bytes, how far it got, and how it ended. */
final class PipeWrite {
    final ByteBuffer source;
    final PipeWriteCallback callback;
    private final MemorySegment bytes; // the source's bytes when the write was made
    private long written;
    IoError error; // how it failed, once finished

    PipeWrite(ByteBuffer source, PipeWriteCallback callback) {
        this.source = source;
        this.callback = callback;
        this.bytes = MemorySegment.ofBuffer(source);
    }

    /** The bytes not yet written. */
    MemorySegment rest() {
        return bytes.asSlice(written);
    }

    long remaining() {
        return bytes.byteSize() - written;
    }

    void advance(long count) {
        written += count;
    }
}
