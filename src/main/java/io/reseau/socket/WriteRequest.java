package io.reseau.socket;

import io.reseau.common.IoError;
import java.lang.foreign.MemorySegment;

/** One queued write; recycled by its socket so writing allocates nothing. */
final class WriteRequest {
    MemorySegment data;
    long offset;
    long length;
    long written;
    WriteCallback callback;
    Object context;
    IoError error;
    WriteRequest nextSpare;

    long remaining() {
        return length - written;
    }

    void clear() {
        data = null;
        callback = null;
        context = null;
        error = null;
        written = 0;
    }
}
