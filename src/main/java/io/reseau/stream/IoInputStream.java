package io.reseau.stream;

import io.reseau.common.IoErrorException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A synchronous source of bytes that may know its length and seek (aws-c-io's
 * {@code aws_input_stream}): what a request body is read from. Not for use by several threads at
 * once.
 *
 * <p>{@link #read} appends to a buffer (from its position up to its limit) and never grows it; at
 * the end of the stream it succeeds with no bytes, and {@link #status()} then says so. A read that
 * fails leaves the buffer as it was. Implementations fill {@link #readInto}, which sees only the
 * free part of the caller's buffer.
 */
public abstract class IoInputStream implements Closeable {

    protected IoInputStream() {}

    /**
     * A stream over {@code bytes}, not copied (aws-c-io's cursor stream): it can seek anywhere in
     * them and knows their length.
     */
    public static IoInputStream of(byte[] bytes) {
        return new ByteCursorStream(ByteBuffer.wrap(bytes));
    }

    /**
     * A stream over the bytes from {@code bytes}' position to its limit, not copied; the buffer's
     * own position and limit are left alone.
     */
    public static IoInputStream of(ByteBuffer bytes) {
        return new ByteCursorStream(bytes.slice());
    }

    /**
     * A stream over a file, opened for reading on first use (not here) and closed by
     * {@link #close()}. Failing to open it (no such file, no permission) fails that first use.
     */
    public static IoInputStream ofFile(Path path) {
        return new FileStream(Objects.requireNonNull(path, "path"));
    }

    /**
     * A stream over {@code in}, which it closes when closed. It cannot seek and does not know its
     * length ({@code STREAM_SEEK_UNSUPPORTED}, {@code STREAM_GET_LENGTH_UNSUPPORTED}); its reads
     * block as {@code in}'s do.
     */
    public static IoInputStream of(InputStream in) {
        return new JavaInputStreamSource(Objects.requireNonNull(in, "in"));
    }

    /**
     * Moves the read position to {@code offset} bytes from {@code basis}.
     *
     * @throws IoErrorException {@code STREAM_INVALID_SEEK_POSITION} for a position the stream
     *                          cannot have; {@code STREAM_SEEK_UNSUPPORTED} if it cannot seek
     */
    public abstract void seek(long offset, SeekBasis basis) throws IoErrorException;

    /**
     * Reads as many bytes as fit between {@code destination}'s position and limit, or as the stream
     * has now, and advances the position past them. Does nothing to a full buffer.
     *
     * @throws IoErrorException if the read failed; {@code destination} is then unchanged
     */
    public final void read(ByteBuffer destination) throws IoErrorException {
        if (!destination.hasRemaining()) {
            return; // aws-c-io answers a full buffer here, so no stream has to get it right
        }
        // The stream sees the free part only: it cannot overwrite what the buffer holds, move its
        // limit or leave a partial read behind when it fails.
        ByteBuffer free = destination.slice();
        readInto(free);
        destination.position(destination.position() + free.position());
    }

    /**
     * Reads into {@code free} (position 0, something remaining), advancing its position; reads
     * nothing at the end of the stream, or when no bytes are there yet.
     */
    protected abstract void readInto(ByteBuffer free) throws IoErrorException;

    public abstract StreamStatus status() throws IoErrorException;

    /**
     * The stream's length in bytes, whatever the read position.
     *
     * @throws IoErrorException {@code STREAM_GET_LENGTH_UNSUPPORTED} if the stream does not know it
     */
    public abstract long length() throws IoErrorException;

    /** Releases what the stream holds; the stream is not used afterwards. */
    @Override
    public void close() throws IOException {
    }

    /**
     * This stream as a {@link InputStream}, which reads until it has bytes or the stream has ended
     * and closes this stream when closed.
     */
    public InputStream asInputStream() {
        return new IoInputStreamView(this);
    }
}
