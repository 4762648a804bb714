package io.reseau.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An {@link IoInputStream} as a {@link java.io.InputStream}. A stream may read nothing without
 * having ended (no bytes there yet); a read here asks again until it has bytes or the end.
 */
final class IoInputStreamView extends InputStream {
    private final IoInputStream stream;
    private boolean closed;

    IoInputStreamView(IoInputStream stream) {
        this.stream = stream;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (closed) {
            throw new IOException("Stream closed");
        }
        if (length == 0) {
            return 0;
        }
        ByteBuffer destination = ByteBuffer.wrap(bytes, offset, length);
        while (true) {
            stream.read(destination);
            int count = destination.position() - offset;
            if (count > 0) {
                return count;
            }
            if (stream.status().endOfStream()) {
                return -1;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            stream.close();
        }
    }
}
