package io.reseau.net;

import io.reseau.common.IoError;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/** The exceptions, with the JDK's messages, that java.net code already catches for Reseau's errors. */
final class SocketErrors {
    private SocketErrors() {}

    static SocketException closed() {
        return new SocketException("Socket closed");
    }

    static SocketException reset() {
        return new SocketException("Connection reset");
    }

    static IOException connectFailure(IoError error, InetSocketAddress target) {
        return switch (error) {
            case SOCKET_TIMEOUT -> new SocketTimeoutException("Connect timed out");
            case SOCKET_CONNECTION_REFUSED -> new ConnectException("Connection refused");
            case SOCKET_NO_ROUTE_TO_HOST -> new NoRouteToHostException("No route to host");
            case DNS_INVALID_NAME, DNS_QUERY_FAILED, DNS_QUERY_AGAIN, DNS_NO_ADDRESS_FOR_HOST ->
                    new UnknownHostException(target.getHostString());
            case SOCKET_ADDRESS_IN_USE -> new BindException("Address already in use");
            case SOCKET_INVALID_ADDRESS -> new BindException("Cannot assign requested address");
            case OPERATION_CANCELLED, SOCKET_CLOSED -> closed();
            default -> new ConnectException(error.description());
        };
    }

    /** A failure of an established connection. */
    static SocketException ioFailure(IoError error, boolean resetByPeer) {
        if (resetByPeer) {
            return reset();
        }
        return new SocketException(error == IoError.SOCKET_CLOSED ? "Socket closed" : error.description());
    }

    /**
     * The JDK's accept failure when the listener ran out of descriptors or memory: an IOException
     * with strerror's text. IoError merges EMFILE with ENFILE and ENOMEM with ENOBUFS; each pair
     * gets the text of its more common member.
     */
    static IOException acceptFailure(IoError error) {
        return new IOException(switch (error) {
            case MAX_FDS_EXCEEDED -> "Too many open files";
            case OOM -> "Cannot allocate memory";
            default -> error.description();
        });
    }

    /** The JDK's BindException messages for a failed bind or listen. */
    static IOException bindFailure(io.reseau.common.IoErrorException e) {
        return switch (e.error()) {
            case SOCKET_ADDRESS_IN_USE -> new BindException("Address already in use");
            case SOCKET_INVALID_ADDRESS -> new BindException("Cannot assign requested address");
            case NO_PERMISSION -> new BindException("Permission denied");
            default -> new SocketException(e.getMessage());
        };
    }
}
