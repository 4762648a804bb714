package io.reseau.stream;

import io.reseau.common.IoError;
import io.reseau.future.IoFuture;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A source of bytes whose reads complete later, perhaps on another thread, perhaps at once
 * (aws-c-io's {@code aws_async_input_stream}). A read's future tells whether the end was reached;
 * it completes once at least one byte was read, the buffer is full, or the end was reached.
 *
 * <p>One read at a time: a read (or {@link #readToFill}) while another is outstanding is refused.
 * A buffer with no room fails the read with {@link IoError#SHORT_BUFFER}. Implementations fill
 * {@link #readSome}.
 */
public abstract class AsyncInputStream implements Closeable {
    private static final IoFuture<Boolean> IDLE = IoFuture.completed(false);

    /** The outstanding read's future, or a done one; what a new read checks and replaces. */
    private final AtomicReference<IoFuture<Boolean>> outstanding = new AtomicReference<>(IDLE);

    protected AsyncInputStream() {}

    /**
     * Reads once into {@code destination}, from its position up to its limit, advancing the
     * position past what was read by the time the future completes.
     *
     * @return a future of "the end was reached", or of the error the read failed with
     * @throws IllegalStateException if another read is outstanding
     */
    public final IoFuture<Boolean> read(ByteBuffer destination) {
        if (!destination.hasRemaining()) {
            return IoFuture.failed(IoError.SHORT_BUFFER);
        }
        claim(IoFuture.create()); // holds the place until readSome has answered
        IoFuture<Boolean> read = null;
        try {
            read = readSome(destination);
        } finally {
            outstanding.set(read != null ? read : IDLE);
        }
        return read;
    }

    /**
     * Reads until {@code destination} is full, the end is reached or a read fails. Reads that
     * complete at once are looped over, not recursed into, so a stream whose every read completes
     * at once cannot exhaust the stack.
     *
     * @return a future of "the end was reached", or of the error a read failed with
     * @throws IllegalStateException if another read is outstanding
     */
    public final IoFuture<Boolean> readToFill(ByteBuffer destination) {
        if (!destination.hasRemaining()) {
            return IoFuture.failed(IoError.SHORT_BUFFER);
        }
        ReadToFill fill = new ReadToFill(this, destination);
        claim(fill.filled);
        fill.run();
        return fill.filled;
    }

    private void claim(IoFuture<Boolean> read) {
        IoFuture<Boolean> previous = outstanding.get();
        if (!previous.isDone() || !outstanding.compareAndSet(previous, read)) {
            throw new IllegalStateException("a read is still outstanding");
        }
    }

    /**
     * Reads once into {@code destination}, which has room; completes once at least one byte was
     * read, the buffer is full or the end was reached. Never called while a read is outstanding
     * ({@link #readToFill}'s steps included).
     */
    protected abstract IoFuture<Boolean> readSome(ByteBuffer destination);

    /** Releases what the stream holds; a read still outstanding may complete or fail. */
    @Override
    public void close() throws IOException {
    }

    /**
     * This stream as a blocking {@link InputStream}: a read that finds no bytes waits for the next
     * one to complete, parking a virtual thread. An interrupted virtual thread gives up with
     * {@link java.io.InterruptedIOException}, its interrupt status kept, and the read it waited for
     * goes on: the next read gets its bytes. Closing the view fails a read blocked in it and closes
     * this stream.
     */
    public InputStream asInputStream() {
        return new AsyncInputStreamView(this);
    }
}
