package io.reseau.stream;

import io.reseau.common.IoErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A stream that misbehaves as its {@link InputStreamTesterOptions} say (aws-c-io's
 * {@code aws_input_stream_tester}): short reads, a read of nothing, the end reported late, a
 * failing read. For testing what consumes streams.
 */
final class InputStreamTester extends IoInputStream {
    private final InputStreamTesterOptions options;
    private final IoInputStream source;
    private int readCount;
    private int lastReadCount;
    private long totalBytesRead;

    InputStreamTester(InputStreamTesterOptions options) {
        this.options = options;
        if (options.sourceStream != null) {
            source = options.sourceStream;
        } else if (options.autogenLength > 0) {
            source = IoInputStream.of(options.generated());
        } else {
            source = IoInputStream.of(options.sourceBytes.clone());
        }
    }

    @Override
    public void seek(long offset, SeekBasis basis) throws IoErrorException {
        source.seek(offset, basis);
    }

    @Override
    protected void readInto(ByteBuffer free) throws IoErrorException {
        readCount++;
        if (readCount == options.failOnNthRead) {
            throw new IoErrorException(options.failWith, "read " + readCount + " fails on purpose");
        }
        int room = free.remaining();
        if (options.maxBytesPerRead != 0) {
            room = Math.min(room, options.maxBytesPerRead);
        }
        if (readCount == options.readZeroBytesOnNthRead) {
            room = 0;
        }
        ByteBuffer capped = free.slice(free.position(), room);
        source.read(capped);
        int count = capped.position();
        free.position(free.position() + count);
        lastReadCount = count;
        totalBytesRead += count;
    }

    @Override
    public StreamStatus status() throws IoErrorException {
        StreamStatus status = source.status();
        if (options.eofRequiresExtraRead && lastReadCount > 0) {
            return new StreamStatus(false, status.valid());
        }
        return status;
    }

    @Override
    public long length() throws IoErrorException {
        return source.length();
    }

    long totalBytesRead() {
        return totalBytesRead;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
