package io.reseau.common;

import io.reseau.internal.ffi.Errno;
import java.io.IOException;
import java.util.Objects;

/** An I/O operation failed with an {@link IoError}. */
public final class IoErrorException extends IOException {
    private static final long serialVersionUID = 1L;

    private final IoError error;

    public IoErrorException(IoError error, String message) {
        super(message + ": " + Objects.requireNonNull(error, "error"));
        this.error = error;
    }

    public IoErrorException(IoError error, String message, Throwable cause) {
        this(error, message);
        initCause(cause);
    }

    /** A failed system call: {@code errno} (positive) mapped the way aws-c-io maps it. */
    public static IoErrorException fromErrno(String call, int errno) {
        return new IoErrorException(IoError.fromErrno(errno), call + " failed with " + Errno.name(errno));
    }

    public IoError error() {
        return error;
    }
}
