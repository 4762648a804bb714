package io.reseau.pipe;

import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.internal.ffi.Libc;
import java.util.Objects;

/**
 * An OS pipe whose two ends each belong to an event loop (aws-c-io's {@code aws_pipe_init}): the
 * same loop or two. Bytes written to the {@link #writeEnd()} come out of the {@link #readEnd()} in
 * order. Each end is closed on its own; for the blocking form, see {@link BlockingPipe}.
 */
public final class Pipe {
    private final PipeReadEnd readEnd;
    private final PipeWriteEnd writeEnd;

    private Pipe(PipeReadEnd readEnd, PipeWriteEnd writeEnd) {
        this.readEnd = readEnd;
        this.writeEnd = writeEnd;
    }

    /**
     * Opens a non-blocking pipe, its read end on {@code readLoop} and its write end on
     * {@code writeLoop}; from any thread.
     *
     * @throws IoErrorException {@code SYS_CALL_FAILURE} when the system refuses (descriptors
     *     exhausted, say), as aws-c-io reports it
     */
    public static Pipe open(EventLoop readLoop, EventLoop writeLoop) throws IoErrorException {
        Objects.requireNonNull(readLoop, "readLoop");
        Objects.requireNonNull(writeLoop, "writeLoop");
        int[] fds = PipeDescriptors.open();
        PipeWriteEnd writeEnd = new PipeWriteEnd(writeLoop, fds[1]);
        try {
            writeEnd.subscribe();
        } catch (IoErrorException | RuntimeException e) {
            Libc.close(fds[0]);
            Libc.close(fds[1]);
            throw e;
        }
        return new Pipe(new PipeReadEnd(readLoop, fds[0]), writeEnd);
    }

    public PipeReadEnd readEnd() {
        return readEnd;
    }

    public PipeWriteEnd writeEnd() {
        return writeEnd;
    }
}
