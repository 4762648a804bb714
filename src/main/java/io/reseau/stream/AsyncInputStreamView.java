package io.reseau.stream;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.future.IoFuture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link AsyncInputStream} as a blocking {@link java.io.InputStream}. The stream reads into a
 * buffer of the view's own, never into the caller's array: a read the caller stopped waiting for
 * (interrupted) may complete later, and its bytes then wait here for the next read instead of
 * landing in an array the caller has moved on from. Readers that find bytes buffered copy them out
 * without waiting.
 */
final class AsyncInputStreamView extends InputStreamView {
    /** How much one read of the stream may bring: a channel message's worth. */
    private static final int BUFFER_SIZE = 16 * 1024;

    private final AsyncInputStream stream;
    private final ReentrantLock readLock = new ReentrantLock();
    // Guarded by readLock. Between reads the buffer holds what is left to hand out (position to
    // limit); while a read is pending the stream writes into it.
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE).limit(0);
    private IoFuture<Boolean> pending;
    private boolean ended;
    /** The pending read's outcome, which close() fails so that a blocked reader wakes. */
    private volatile IoFuture<Boolean> arrival;
    private final AtomicBoolean closed = new AtomicBoolean();

    AsyncInputStreamView(AsyncInputStream stream) {
        this.stream = stream;
    }

    @Override
    int readSome(byte[] bytes, int offset, int length) throws IOException {
        readLock.lock();
        try {
            while (true) {
                if (closed.get()) {
                    throw new IOException("Stream closed");
                }
                if (pending == null) {
                    if (buffer.hasRemaining()) {
                        int count = Math.min(length, buffer.remaining());
                        buffer.get(bytes, offset, count);
                        return count;
                    }
                    if (ended) {
                        return -1;
                    }
                    startRead();
                }
                awaitRead();
            }
        } finally {
            readLock.unlock();
        }
    }

    private void startRead() {
        buffer.clear();
        IoFuture<Boolean> read = stream.read(buffer);
        IoFuture<Boolean> outcome = IoFuture.create();
        pending = read;
        arrival = outcome;
        if (closed.get()) {
            outcome.setError(IoError.STREAM_READ_FAILED); // close() may have looked before arrival was set
        }
        read.registerCallback(() -> {
            IoError error = read.error();
            if (error != null) {
                outcome.setError(error);
            } else {
                outcome.setResult(read.result());
            }
        });
    }

    private void awaitRead() throws IOException {
        boolean end;
        try {
            end = arrival.get(); // an interrupt leaves the read pending, for the next call to wait on
        } catch (IoErrorException e) {
            if (closed.get()) {
                throw new IOException("Stream closed", e);
            }
            pending = null;
            buffer.limit(0);
            throw e;
        }
        pending = null;
        buffer.flip();
        ended = end;
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            IoFuture<Boolean> outcome = arrival;
            if (outcome != null) {
                outcome.setError(IoError.STREAM_READ_FAILED);
            }
            stream.close();
        }
    }
}
