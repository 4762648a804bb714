package io.reseau.internal.ffi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/** A non-blocking pipe for tests, through Reseau's own bindings. */
public final class NativePipe implements AutoCloseable {
    public final int readFd;
    public final int writeFd;
    private boolean readOpen = true;
    private boolean writeOpen = true;

    public NativePipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            int rc = Libc.pipe2(fds, Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            if (rc != 0) {
                throw new IllegalStateException("pipe2 failed: " + Errno.name(-rc));
            }
            readFd = fds.getAtIndex(JAVA_INT, 0);
            writeFd = fds.getAtIndex(JAVA_INT, 1);
        }
    }

    /** Writes all of {@code bytes}; the pipe must have room (64 KiB by default). */
    public void write(byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocateFrom(JAVA_BYTE, bytes);
            long n = Libc.write(writeFd, buffer, bytes.length);
            if (n != bytes.length) {
                throw new IllegalStateException("short pipe write: " + n);
            }
        }
    }

    /** Reads what is there, up to {@code max} bytes; empty when the pipe is empty (EAGAIN). */
    public byte[] read(int max) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(max);
            long n = Libc.read(readFd, buffer, max);
            if (n == -Errno.EAGAIN) {
                return new byte[0];
            }
            if (n < 0) {
                throw new IllegalStateException("pipe read failed: " + Errno.name((int) -n));
            }
            return Arrays.copyOf(buffer.toArray(JAVA_BYTE), (int) n);
        }
    }

    public void closeWriteEnd() {
        if (writeOpen) {
            writeOpen = false;
            Libc.close(writeFd);
        }
    }

    @Override
    public void close() {
        closeWriteEnd();
        if (readOpen) {
            readOpen = false;
            Libc.close(readFd);
        }
    }
}
