package io.reseau.pipe;

import io.reseau.common.IoError;
import java.nio.ByteBuffer;

/** Hears that a pipe write finished; on the write end's loop, in the order the writes were made. */
@FunctionalInterface
public interface PipeWriteCallback {
    /**
     * @param end the write end, or null when it was closed before this callback ran (the write may
     *     still have succeeded: {@code error} says)
     * @param error null when every byte was written; {@link IoError#BROKEN_PIPE} when the read end
     *     is closed, or the write end was closed with the bytes unwritten
     * @param source the buffer given to {@link PipeWriteEnd#write}, as it was given
     */
    void onWriteCompleted(PipeWriteEnd end, IoError error, ByteBuffer source);
}
