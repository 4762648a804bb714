package io.reseau.stream;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An {@link IoInputStream} as a {@link java.io.InputStream}. A stream may read nothing without
 * having ended (no bytes there yet); a read here asks again until it has bytes or the end.
 */
final class IoInputStreamView extends InputStreamView {
    private final IoInputStream stream;
    private boolean closed;

    IoInputStreamView(IoInputStream stream) {
        this.stream = stream;
    }

    @Override
    int readSome(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
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
