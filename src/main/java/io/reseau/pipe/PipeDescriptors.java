package io.reseau.pipe;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.internal.ffi.Errno;
import io.reseau.internal.ffi.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** An OS pipe's two descriptors, and what their failures mean, as aws-c-io's POSIX pipe names them. */
final class PipeDescriptors {
    private PipeDescriptors() {}

    /** Opens a non-blocking, close-on-exec pipe: {read end, write end}. */
    static int[] open() throws IoErrorException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            int rc = Libc.pipe2(fds, Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            if (rc < 0) {
                throw failure("pipe2", -rc);
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    /** aws-c-io's mapping: EPIPE (the other end is closed) is {@code BROKEN_PIPE}, anything else a failed system call. */
    static IoError errorOf(int errno) {
        return errno == Errno.EPIPE ? IoError.BROKEN_PIPE : IoError.SYS_CALL_FAILURE;
    }

    static IoErrorException failure(String call, int errno) {
        return new IoErrorException(errorOf(errno), call + " failed with " + Errno.name(errno));
    }
}
