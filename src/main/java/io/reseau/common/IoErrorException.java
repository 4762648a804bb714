package io.reseau.common;

import io.reseau.internal.ffi.Errno;
import java.io.IOException;
import java.util.Objects;

/** An I/O operation failed with an {@link IoError}. */
public final class IoErrorException extends IOException {
    private static final long serialVersionUID = 1L;

    private final IoError error;
    private final int errno;

    public IoErrorException(IoError error, String message) {
        this(error, message, 0);
    }

    private IoErrorException(IoError error, String message, int errno) {
        super(message + ": " + Objects.requireNonNull(error, "error"));
        this.error = error;
        this.errno = errno;
    }

    public IoErrorException(IoError error, String message, Throwable cause) {
        this(error, message);
        initCause(cause);
    }

    /** A failed system call: {@code errno} (positive) mapped the way aws-c-io maps it. */
    public static IoErrorException fromErrno(String call, int errno) {
        return new IoErrorException(IoError.fromErrno(errno), call + " failed with " + Errno.name(errno), errno);
    }

    public IoError error() {
        return error;
    }

    /**
     * The system call's errno when the failure is one ({@link #fromErrno}), else 0: it tells apart
     * what the {@link IoError} merges, as aws-c-io does (a reset and a broken pipe are both
     * {@code SOCKET_CLOSED}).
     */
    public int errno() {
        return errno;
    }
}
