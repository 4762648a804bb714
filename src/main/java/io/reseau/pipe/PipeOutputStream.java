package io.reseau.pipe;

import io.reseau.internal.ffi.Errno;
import io.reseau.internal.ffi.Libc;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The write end of a {@link BlockingPipe} as an {@link OutputStream}. A write puts the caller's
 * bytes straight into the pipe; while the pipe is full it parks (a platform thread blocks) until
 * the loop sees room, so a writer never runs ahead of its reader by more than the pipe holds.
 * Once the read end is closed, writes fail with "Broken pipe". Interrupts and closes as
 * {@link BlockingEnd} says; nothing is buffered, so {@link #flush()} has nothing to do.
 */
public final class PipeOutputStream extends OutputStream {
    private final PipeWriteEnd writeEnd;
    private final BlockingEnd end;

    /** Takes {@code writeEnd} over: its events wake this stream's writer from now on. */
    PipeOutputStream(PipeWriteEnd writeEnd) {
        this.writeEnd = writeEnd;
        this.end = new BlockingEnd(writeEnd::close);
        writeEnd.observeEvents(end::onEvent);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        MemorySegment from = MemorySegment.ofArray(bytes).asSlice(offset, length);
        end.beginCall();
        try {
            long written = 0;
            for (boolean waited = false; written < length; ) {
                long seen = end.events();
                end.lock.lock();
                try {
                    end.ensureOpen(waited);
                    long n = Libc.write(writeEnd.fd(), from.asSlice(written), length - written);
                    if (n >= 0) {
                        written += n;
                        end.wakePeer();
                        continue;
                    }
                    if (n != -Errno.EAGAIN) {
                        throw new IOException(Errno.text((int) -n)); // "Broken pipe" once the reader is gone
                    }
                } finally {
                    end.lock.unlock();
                }
                end.await(seen, 0);
                waited = true;
            }
        } finally {
            end.endCall();
        }
    }

    BlockingEnd end() {
        return end;
    }

    /** Closes the write end: the reader reads what is in the pipe, then the end of the stream. */
    @Override
    public void close() {
        end.close();
    }
}
