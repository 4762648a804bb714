package io.reseau.stream;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A {@link java.io.InputStream} as an {@link IoInputStream}: one {@code read} of the stream per
 * read, the end known once it answers -1. It neither seeks nor knows its length.
 */
final class JavaInputStreamSource extends IoInputStream {
    /** What a read into a buffer without an accessible array goes through. */
    private static final int TRANSFER_SIZE = 8192;

    private final InputStream in;
    private boolean ended;
    private boolean failed;

    JavaInputStreamSource(InputStream in) {
        this.in = in;
    }

    @Override
    public void seek(long offset, SeekBasis basis) throws IoErrorException {
        throw new IoErrorException(IoError.STREAM_SEEK_UNSUPPORTED, "a java.io.InputStream cannot seek");
    }

    @Override
    protected void readInto(ByteBuffer free) throws IoErrorException {
        try {
            int count;
            if (free.hasArray()) {
                count = in.read(free.array(), free.arrayOffset() + free.position(), free.remaining());
                if (count > 0) {
                    free.position(free.position() + count);
                }
            } else {
                byte[] transfer = new byte[Math.min(free.remaining(), TRANSFER_SIZE)];
                count = in.read(transfer);
                if (count > 0) {
                    free.put(transfer, 0, count);
                }
            }
            ended = count < 0;
        } catch (IOException e) {
            failed = true;
            throw new IoErrorException(IoError.STREAM_READ_FAILED, "the java.io.InputStream failed", e);
        }
    }

    @Override
    public StreamStatus status() {
        return new StreamStatus(ended, !failed);
    }

    @Override
    public long length() throws IoErrorException {
        throw new IoErrorException(IoError.STREAM_GET_LENGTH_UNSUPPORTED, "a java.io.InputStream has no length");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
