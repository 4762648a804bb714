package io.reseau.common;

import io.reseau.internal.ffi.Errno;
import java.util.HashMap;
import java.util.Map;

/**
 * aws-c-io's error codes, with their names and numbers (1024 onwards), plus the few aws-c-common
 * codes the I/O layers raise. The numbers are stable: logs and tools may rely on them.
 *
 * <p>The PKCS#11 codes (1073–1170 and 1172) are not listed: Reseau has no PKCS#11 support.
 * {@code DEPRECATED_AWS_IO_INVALID_FILE_HANDLE} (1064) is not listed either; aws-c-io never raises it.
 */
public enum IoError {
    // aws-c-common codes raised by I/O code.
    OOM(1, "AWS_ERROR_OOM", "out of memory"),
    UNKNOWN(3, "AWS_ERROR_UNKNOWN", "unknown error"),
    SHORT_BUFFER(4, "AWS_ERROR_SHORT_BUFFER", "buffer too short"),
    INVALID_ARGUMENT(34, "AWS_ERROR_INVALID_ARGUMENT", "invalid argument"),
    INVALID_STATE(38, "AWS_ERROR_INVALID_STATE", "invalid state"),
    NO_PERMISSION(43, "AWS_ERROR_NO_PERMISSION", "permission denied"),
    FILE_INVALID_PATH(44, "AWS_ERROR_FILE_INVALID_PATH", "invalid path"),
    MAX_FDS_EXCEEDED(45, "AWS_ERROR_MAX_FDS_EXCEEDED", "too many open files"),
    SYS_CALL_FAILURE(46, "AWS_ERROR_SYS_CALL_FAILURE", "system call failed"),

    CHANNEL_ERROR_ERROR_CANT_ACCEPT_INPUT(1024, "AWS_IO_CHANNEL_ERROR_ERROR_CANT_ACCEPT_INPUT",
            "channel cannot accept input"),
    CHANNEL_UNKNOWN_MESSAGE_TYPE(1025, "AWS_IO_CHANNEL_UNKNOWN_MESSAGE_TYPE", "channel unknown message type"),
    CHANNEL_READ_WOULD_EXCEED_WINDOW(1026, "AWS_IO_CHANNEL_READ_WOULD_EXCEED_WINDOW",
            "a channel message was larger than the read window"),
    EVENT_LOOP_ALREADY_ASSIGNED(1027, "AWS_IO_EVENT_LOOP_ALREADY_ASSIGNED", "event loop already assigned"),
    EVENT_LOOP_SHUTDOWN(1028, "AWS_IO_EVENT_LOOP_SHUTDOWN", "event loop is shutting down"),
    TLS_ERROR_NEGOTIATION_FAILURE(1029, "AWS_IO_TLS_ERROR_NEGOTIATION_FAILURE", "TLS negotiation failed"),
    TLS_ERROR_NOT_NEGOTIATED(1030, "AWS_IO_TLS_ERROR_NOT_NEGOTIATED", "TLS is not negotiated yet"),
    TLS_ERROR_WRITE_FAILURE(1031, "AWS_IO_TLS_ERROR_WRITE_FAILURE", "TLS write failed"),
    TLS_ERROR_ALERT_RECEIVED(1032, "AWS_IO_TLS_ERROR_ALERT_RECEIVED", "TLS alert received"),
    TLS_CTX_ERROR(1033, "AWS_IO_TLS_CTX_ERROR", "TLS context could not be created"),
    TLS_VERSION_UNSUPPORTED(1034, "AWS_IO_TLS_VERSION_UNSUPPORTED", "TLS version not supported"),
    TLS_CIPHER_PREF_UNSUPPORTED(1035, "AWS_IO_TLS_CIPHER_PREF_UNSUPPORTED", "TLS cipher preference not supported"),
    MISSING_ALPN_MESSAGE(1036, "AWS_IO_MISSING_ALPN_MESSAGE", "ALPN message expected but missing"),
    UNHANDLED_ALPN_PROTOCOL_MESSAGE(1037, "AWS_IO_UNHANDLED_ALPN_PROTOCOL_MESSAGE",
            "no handler for the negotiated ALPN protocol"),
    FILE_VALIDATION_FAILURE(1038, "AWS_IO_FILE_VALIDATION_FAILURE", "file validation failed"),
    EVENT_LOOP_THREAD_ONLY(1039, "AWS_ERROR_IO_EVENT_LOOP_THREAD_ONLY",
            "operation allowed only on the event loop thread"),
    ALREADY_SUBSCRIBED(1040, "AWS_ERROR_IO_ALREADY_SUBSCRIBED", "already subscribed to I/O events"),
    NOT_SUBSCRIBED(1041, "AWS_ERROR_IO_NOT_SUBSCRIBED", "not subscribed to I/O events"),
    OPERATION_CANCELLED(1042, "AWS_ERROR_IO_OPERATION_CANCELLED", "operation cancelled"),
    READ_WOULD_BLOCK(1043, "AWS_IO_READ_WOULD_BLOCK", "read would block"),
    BROKEN_PIPE(1044, "AWS_IO_BROKEN_PIPE", "broken pipe"),
    SOCKET_UNSUPPORTED_ADDRESS_FAMILY(1045, "AWS_IO_SOCKET_UNSUPPORTED_ADDRESS_FAMILY",
            "address family not supported"),
    SOCKET_INVALID_OPERATION_FOR_TYPE(1046, "AWS_IO_SOCKET_INVALID_OPERATION_FOR_TYPE",
            "operation invalid for this socket type"),
    SOCKET_CONNECTION_REFUSED(1047, "AWS_IO_SOCKET_CONNECTION_REFUSED", "connection refused"),
    SOCKET_TIMEOUT(1048, "AWS_IO_SOCKET_TIMEOUT", "socket operation timed out"),
    SOCKET_NO_ROUTE_TO_HOST(1049, "AWS_IO_SOCKET_NO_ROUTE_TO_HOST", "no route to host"),
    SOCKET_NETWORK_DOWN(1050, "AWS_IO_SOCKET_NETWORK_DOWN", "network is down"),
    SOCKET_CLOSED(1051, "AWS_IO_SOCKET_CLOSED", "socket closed"),
    SOCKET_NOT_CONNECTED(1052, "AWS_IO_SOCKET_NOT_CONNECTED", "socket not connected"),
    SOCKET_INVALID_OPTIONS(1053, "AWS_IO_SOCKET_INVALID_OPTIONS", "invalid socket options"),
    SOCKET_ADDRESS_IN_USE(1054, "AWS_IO_SOCKET_ADDRESS_IN_USE", "address already in use"),
    SOCKET_INVALID_ADDRESS(1055, "AWS_IO_SOCKET_INVALID_ADDRESS", "invalid address"),
    SOCKET_ILLEGAL_OPERATION_FOR_STATE(1056, "AWS_IO_SOCKET_ILLEGAL_OPERATION_FOR_STATE",
            "operation not allowed in the socket's state"),
    SOCKET_CONNECT_ABORTED(1057, "AWS_IO_SOCKET_CONNECT_ABORTED", "connection aborted"),
    DNS_QUERY_FAILED(1058, "AWS_IO_DNS_QUERY_FAILED", "DNS query failed"),
    DNS_INVALID_NAME(1059, "AWS_IO_DNS_INVALID_NAME", "invalid host name"),
    DNS_NO_ADDRESS_FOR_HOST(1060, "AWS_IO_DNS_NO_ADDRESS_FOR_HOST", "no address for host"),
    DNS_HOST_REMOVED_FROM_CACHE(1061, "AWS_IO_DNS_HOST_REMOVED_FROM_CACHE", "host removed from the DNS cache"),
    STREAM_INVALID_SEEK_POSITION(1062, "AWS_IO_STREAM_INVALID_SEEK_POSITION", "invalid stream seek position"),
    STREAM_READ_FAILED(1063, "AWS_IO_STREAM_READ_FAILED", "stream read failed"),
    SHARED_LIBRARY_LOAD_FAILURE(1065, "AWS_IO_SHARED_LIBRARY_LOAD_FAILURE", "shared library could not be loaded"),
    SHARED_LIBRARY_FIND_SYMBOL_FAILURE(1066, "AWS_IO_SHARED_LIBRARY_FIND_SYMBOL_FAILURE",
            "symbol not found in shared library"),
    TLS_NEGOTIATION_TIMEOUT(1067, "AWS_IO_TLS_NEGOTIATION_TIMEOUT", "TLS negotiation timed out"),
    TLS_ALERT_NOT_GRACEFUL(1068, "AWS_IO_TLS_ALERT_NOT_GRACEFUL", "TLS alert not graceful"),
    MAX_RETRIES_EXCEEDED(1069, "AWS_IO_MAX_RETRIES_EXCEEDED", "maximum retries exceeded"),
    RETRY_PERMISSION_DENIED(1070, "AWS_IO_RETRY_PERMISSION_DENIED", "retry permission denied"),
    TLS_DIGEST_ALGORITHM_UNSUPPORTED(1071, "AWS_IO_TLS_DIGEST_ALGORITHM_UNSUPPORTED", "TLS digest unsupported"),
    TLS_SIGNATURE_ALGORITHM_UNSUPPORTED(1072, "AWS_IO_TLS_SIGNATURE_ALGORITHM_UNSUPPORTED",
            "TLS signature algorithm unsupported"),
    PINNED_EVENT_LOOP_MISMATCH(1171, "AWS_ERROR_IO_PINNED_EVENT_LOOP_MISMATCH",
            "requested event loop does not belong to the group"),
    TLS_ERROR_DEFAULT_TRUST_STORE_NOT_FOUND(1173, "AWS_IO_TLS_ERROR_DEFAULT_TRUST_STORE_NOT_FOUND",
            "no default trust store found"),
    STREAM_SEEK_FAILED(1174, "AWS_IO_STREAM_SEEK_FAILED", "stream seek failed"),
    STREAM_GET_LENGTH_FAILED(1175, "AWS_IO_STREAM_GET_LENGTH_FAILED", "stream length unavailable"),
    STREAM_SEEK_UNSUPPORTED(1176, "AWS_IO_STREAM_SEEK_UNSUPPORTED", "stream cannot seek"),
    STREAM_GET_LENGTH_UNSUPPORTED(1177, "AWS_IO_STREAM_GET_LENGTH_UNSUPPORTED", "stream has no length"),
    TLS_ERROR_READ_FAILURE(1178, "AWS_IO_TLS_ERROR_READ_FAILURE", "TLS read failed"),
    PEM_MALFORMED(1179, "AWS_ERROR_PEM_MALFORMED", "malformed PEM"),
    SOCKET_MISSING_EVENT_LOOP(1180, "AWS_IO_SOCKET_MISSING_EVENT_LOOP", "socket has no event loop"),
    TLS_UNKNOWN_ROOT_CERTIFICATE(1181, "AWS_IO_TLS_UNKNOWN_ROOT_CERTIFICATE", "unknown root certificate"),
    TLS_NO_ROOT_CERTIFICATE_FOUND(1182, "AWS_IO_TLS_NO_ROOT_CERTIFICATE_FOUND", "no root certificate found"),
    TLS_CERTIFICATE_EXPIRED(1183, "AWS_IO_TLS_CERTIFICATE_EXPIRED", "certificate expired"),
    TLS_CERTIFICATE_NOT_YET_VALID(1184, "AWS_IO_TLS_CERTIFICATE_NOT_YET_VALID", "certificate not yet valid"),
    TLS_BAD_CERTIFICATE(1185, "AWS_IO_TLS_BAD_CERTIFICATE", "bad certificate"),
    TLS_PEER_CERTIFICATE_EXPIRED(1186, "AWS_IO_TLS_PEER_CERTIFICATE_EXPIRED", "peer certificate expired"),
    TLS_BAD_PEER_CERTIFICATE(1187, "AWS_IO_TLS_BAD_PEER_CERTIFICATE", "bad peer certificate"),
    TLS_PEER_CERTIFICATE_REVOKED(1188, "AWS_IO_TLS_PEER_CERTIFICATE_REVOKED", "peer certificate revoked"),
    TLS_PEER_CERTIFICATE_UNKNOWN(1189, "AWS_IO_TLS_PEER_CERTIFICATE_UNKNOWN", "peer certificate unknown"),
    TLS_INTERNAL_ERROR(1190, "AWS_IO_TLS_INTERNAL_ERROR", "TLS internal error"),
    TLS_CLOSED_GRACEFUL(1191, "AWS_IO_TLS_CLOSED_GRACEFUL", "TLS connection closed gracefully"),
    TLS_CLOSED_ABORT(1192, "AWS_IO_TLS_CLOSED_ABORT", "TLS connection aborted"),
    TLS_INVALID_CERTIFICATE_CHAIN(1193, "AWS_IO_TLS_INVALID_CERTIFICATE_CHAIN", "invalid certificate chain"),
    TLS_HOST_NAME_MISMATCH(1194, "AWS_IO_TLS_HOST_NAME_MISMATCH", "host name does not match the certificate"),
    DNS_QUERY_AGAIN(1195, "AWS_IO_DNS_QUERY_AGAIN", "DNS query should be retried");

    private static final Map<Integer, IoError> BY_CODE = new HashMap<>();

    static {
        for (IoError error : values()) {
            BY_CODE.put(error.code, error);
        }
    }

    private final int code;
    private final String awsName;
    private final String description;

    IoError(int code, String awsName, String description) {
        this.code = code;
        this.awsName = awsName;
        this.description = description;
    }

    /** aws-c-io's number for this error. */
    public int code() {
        return code;
    }

    /** aws-c-io's C name, e.g. {@code AWS_IO_SOCKET_CONNECTION_REFUSED}. */
    public String awsName() {
        return awsName;
    }

    public String description() {
        return description;
    }

    /** aws-c-io's recommendation ({@code aws_io_error_code_is_retryable}): a retry may succeed. */
    public boolean isRetryable() {
        return switch (this) {
            case SOCKET_CLOSED, SOCKET_CONNECT_ABORTED, SOCKET_CONNECTION_REFUSED, SOCKET_NETWORK_DOWN,
                 DNS_QUERY_AGAIN, DNS_NO_ADDRESS_FOR_HOST, SOCKET_TIMEOUT, TLS_NEGOTIATION_TIMEOUT -> true;
            default -> false;
        };
    }

    /** Whether this is a TLS error ({@code aws_error_code_is_tls}). */
    public boolean isTls() {
        return (code >= 1029 && code <= 1035) || code == 1067 || code == 1068 || code == 1071 || code == 1072
                || code == 1178 || (code >= 1181 && code <= 1194);
    }

    /** The error with aws-c-io's number {@code code}, or {@code null} when Reseau does not define it. */
    public static IoError fromCode(int code) {
        return BY_CODE.get(code);
    }

    /**
     * The error a socket call's errno means, as aws-c-io's POSIX socket maps it. EPIPE counts as a
     * closed socket, as aws-c-io's read and write paths treat it; anything unlisted is
     * {@link #SOCKET_NOT_CONNECTED}.
     */
    public static IoError fromErrno(int errno) {
        return switch (errno) {
            case Errno.ECONNREFUSED -> SOCKET_CONNECTION_REFUSED;
            case Errno.ECONNRESET, Errno.EPIPE -> SOCKET_CLOSED;
            case Errno.ETIMEDOUT -> SOCKET_TIMEOUT;
            case Errno.EHOSTUNREACH, Errno.ENETUNREACH -> SOCKET_NO_ROUTE_TO_HOST;
            case Errno.EADDRNOTAVAIL -> SOCKET_INVALID_ADDRESS;
            case Errno.ENETDOWN -> SOCKET_NETWORK_DOWN;
            case Errno.ECONNABORTED -> SOCKET_CONNECT_ABORTED;
            case Errno.EADDRINUSE -> SOCKET_ADDRESS_IN_USE;
            case Errno.ENOBUFS, Errno.ENOMEM -> OOM;
            case Errno.EAGAIN -> READ_WOULD_BLOCK;
            case Errno.EMFILE, Errno.ENFILE -> MAX_FDS_EXCEEDED;
            case Errno.ENOENT, Errno.EINVAL -> FILE_INVALID_PATH;
            case Errno.EAFNOSUPPORT -> SOCKET_UNSUPPORTED_ADDRESS_FAMILY;
            case Errno.EACCES -> NO_PERMISSION;
            default -> SOCKET_NOT_CONNECTED;
        };
    }

    @Override
    public String toString() {
        return awsName + " (" + code + "): " + description;
    }
}
