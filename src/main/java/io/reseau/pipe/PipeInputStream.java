package io.reseau.pipe;

import io.reseau.common.IoErrorException;
import io.reseau.eventloop.OwningLoop;
import io.reseau.internal.ffi.Errno;
import io.reseau.internal.ffi.Libc;
import io.reseau.internal.ffi.SocketCalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;

/**
 * The read end of a {@link BlockingPipe} as an {@link InputStream}. A read takes what the pipe
 * holds straight into the caller's array; when the pipe is empty it parks (a platform thread
 * blocks) until the loop sees bytes arrive or the write end close. It returns -1 once the write end
 * is closed and everything was read. Interrupts and closes as {@link BlockingEnd} says; a read
 * timeout throws {@link InterruptedIOException} and leaves the stream usable.
 */
public final class PipeInputStream extends InputStream {
    private final PipeReadEnd readEnd;
    private final BlockingEnd end;
    private volatile long timeoutNanos;

    /** Takes {@code readEnd} over: subscribes to it on its loop, and waits for that. */
    PipeInputStream(PipeReadEnd readEnd) throws IoErrorException {
        this.readEnd = readEnd;
        this.end = new BlockingEnd(readEnd::close);
        OwningLoop.run(readEnd.eventLoop(), "pipe-input-subscribe", loopAlive -> {
            if (!loopAlive) {
                throw new IllegalStateException(readEnd.eventLoop().name() + " is destroyed");
            }
            readEnd.subscribe((pipeEnd, error) -> end.onEvent());
        });
    }

    /**
     * How long a read waits for bytes before it throws {@link InterruptedIOException} ("Read timed
     * out"); {@link Duration#ZERO} (the default) waits for ever. Takes effect at the next read.
     */
    public void setTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a timeout cannot be negative: " + timeout);
        }
        timeoutNanos = timeout.toNanos();
    }

    public Duration getTimeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        MemorySegment into = MemorySegment.ofArray(bytes).asSlice(offset, length);
        long timeout = timeoutNanos;
        long deadline = timeout == 0 ? 0 : System.nanoTime() + timeout;
        end.beginCall();
        try {
            for (boolean waited = false; ; waited = true) {
                long seen = end.events();
                end.lock.lock();
                try {
                    end.ensureOpen(waited);
                    long n = Libc.read(readEnd.fd(), into, length);
                    if (n > 0) {
                        end.wakePeer();
                        return (int) n;
                    }
                    if (n == 0) {
                        return -1; // the write end is closed and the pipe empty
                    }
                    if (n != -Errno.EAGAIN) {
                        throw new IOException(Errno.text((int) -n));
                    }
                } finally {
                    end.lock.unlock();
                }
                if (!end.await(seen, deadline)) {
                    throw new InterruptedIOException("Read timed out");
                }
            }
        } finally {
            end.endCall();
        }
    }

    /** The bytes in the pipe now, which a read takes without waiting. */
    @Override
    public int available() throws IOException {
        end.lock.lock();
        try {
            end.ensureOpen(false);
            return Math.max(0, SocketCalls.ioctlInt(readEnd.fd(), SocketCalls.FIONREAD));
        } finally {
            end.lock.unlock();
        }
    }

    BlockingEnd end() {
        return end;
    }

    /** Closes the read end: a waiting read fails, and the writer's next write fails with "Broken pipe". */
    @Override
    public void close() {
        end.close();
    }
}
