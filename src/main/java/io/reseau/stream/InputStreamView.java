package io.reseau.stream;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** A stream seen as a {@link InputStream}: every read, a single byte's too, is an array read. */
abstract class InputStreamView extends InputStream {

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return length == 0 ? 0 : readSome(bytes, offset, length);
    }

    /** Reads at least one byte into {@code bytes} ({@code length} is positive), or returns -1 at the end. */
    abstract int readSome(byte[] bytes, int offset, int length) throws IOException;
}
