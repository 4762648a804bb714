package io.reseau.stream;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.nio.ByteBuffer;

/**
 * Bytes in memory as a stream (aws-c-io's cursor stream). Seeks stay within the bytes: from
 * {@link SeekBasis#BEGIN} an offset from 0 to the length, from {@link SeekBasis#END} one from minus
 * the length to 0; anything else is {@link IoError#STREAM_INVALID_SEEK_POSITION} and leaves the
 * position alone. The end is known as soon as the position reaches it.
 */
final class ByteCursorStream extends IoInputStream {
    private final ByteBuffer bytes; // position 0, limit the length; never moved
    private int position;

    ByteCursorStream(ByteBuffer bytes) {
        this.bytes = bytes;
    }

    @Override
    public void seek(long offset, SeekBasis basis) throws IoErrorException {
        int length = bytes.limit();
        long target = switch (basis) {
            case BEGIN -> offset >= 0 && offset <= length ? offset : -1;
            case END -> offset <= 0 && offset >= -length ? length + offset : -1;
        };
        if (target < 0) {
            throw new IoErrorException(IoError.STREAM_INVALID_SEEK_POSITION,
                    "cannot seek " + offset + " from " + basis + " in " + length + " bytes");
        }
        position = (int) target;
    }

    @Override
    protected void readInto(ByteBuffer free) {
        int count = Math.min(free.remaining(), bytes.limit() - position);
        free.put(bytes.slice(position, count));
        position += count;
    }

    @Override
    public StreamStatus status() {
        return new StreamStatus(position == bytes.limit(), true);
    }

    @Override
    public long length() {
        return bytes.limit();
    }
}
