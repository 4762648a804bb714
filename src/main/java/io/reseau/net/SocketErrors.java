package io.reseau.net;

import io.reseau.bootstrap.FailedAttempt;
import io.reseau.channel.ChannelDirection;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.internal.ffi.Errno;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.Security;
import java.util.List;
import java.util.StringJoiner;

/** The exceptions, with the JDK's messages, that java.net code already catches for Reseau's errors. */
final class SocketErrors {
    /**
     * The JDK's switch for naming the peer in a failed connect's message: a system property, else
     * the security property of the same name; a comma-separated list of categories, one of them
     * {@code hostInfo} (case and surrounding blanks ignored). The JDK ships {@code hostInfoExclSocket},
     * which leaves sockets' messages bare.
     */
    private static final String INCLUDE_IN_EXCEPTIONS = "jdk.includeInExceptions";

    private SocketErrors() {}

    static SocketException closed() {
        return new SocketException("Socket closed");
    }

    static SocketException reset() {
        return new SocketException("Connection reset");
    }

    /**
     * A failed connect's exception, as NioSocketImpl words it: a timeout is bare, anything else
     * names the peer when the JDK's {@code hostInfo} category is on (read at each failure).
     */
    static IOException connectFailure(IoError error, InetSocketAddress target) {
        IOException failure = bareConnectFailure(error, target.getHostString());
        return failure instanceof SocketTimeoutException ? failure : withPeer(failure, target);
    }

    /**
     * A connect by host name that failed, with the race's most telling error ({@code failure}, the
     * cause): a name that did not resolve gives {@code UnknownHostException}; a single address
     * tried, the JDK's exception for it ({@link #connectFailure}); several, the exception of that
     * error, its message naming the host and every address tried with how that attempt failed.
     */
    static IOException raceFailure(InetSocketAddress target, IoErrorException failure, List<FailedAttempt> tried) {
        IOException reported;
        if (tried.isEmpty()) {
            reported = bareConnectFailure(failure.error(), target.getHostString());
        } else if (tried.size() == 1 && tried.getFirst().address() instanceof InetSocketAddress only) {
            reported = connectFailure(failure.error(), only);
        } else {
            IOException bare = bareConnectFailure(failure.error(), target.getHostString());
            StringJoiner attempts = new StringJoiner(", ", bare.getMessage() + ": " + target.getHostString() + "; tried ", "");
            for (FailedAttempt attempt : tried) {
                attempts.add(literal(attempt.address()) + " (" + attempt.error().description() + ")");
            }
            reported = renamed(bare, attempts.toString());
        }
        return (IOException) reported.initCause(failure);
    }

    private static IOException bareConnectFailure(IoError error, String host) {
        return switch (error) {
            case SOCKET_TIMEOUT -> new SocketTimeoutException("Connect timed out");
            case SOCKET_CONNECTION_REFUSED -> new ConnectException("Connection refused");
            case SOCKET_NO_ROUTE_TO_HOST -> new NoRouteToHostException("No route to host");
            case DNS_INVALID_NAME, DNS_QUERY_FAILED, DNS_QUERY_AGAIN, DNS_NO_ADDRESS_FOR_HOST -> new UnknownHostException(host);
            case SOCKET_ADDRESS_IN_USE -> new BindException("Address already in use");
            case SOCKET_INVALID_ADDRESS -> new BindException("Cannot assign requested address");
            case OPERATION_CANCELLED, SOCKET_CLOSED -> closed();
            default -> new ConnectException(error.description());
        };
    }

    /** "192.0.2.1:443", "[2001:db8:0:0:0:0:0:1]:443": the address without the host name it may carry. */
    private static String literal(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet) || inet.isUnresolved()) {
            return String.valueOf(address);
        }
        String ip = inet.getAddress().getHostAddress();
        return (inet.getAddress() instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + inet.getPort();
    }

    /** {@code failure} with ": host/address:port" after its message when {@code hostInfo} is on; else itself. */
    static IOException withPeer(IOException failure, InetSocketAddress peer) {
        return hostInfoIncluded() ? renamed(failure, failure.getMessage() + ": " + peer) : failure;
    }

    /** An exception of {@code failure}'s type, with {@code message} and its stack trace. */
    private static IOException renamed(IOException failure, String message) {
        IOException named = switch (failure) {
            case SocketTimeoutException e -> new SocketTimeoutException(message);
            case ConnectException e -> new ConnectException(message);
            case NoRouteToHostException e -> new NoRouteToHostException(message);
            case BindException e -> new BindException(message);
            case UnknownHostException e -> new UnknownHostException(message);
            case SocketException e -> new SocketException(message);
            default -> new IOException(message);
        };
        named.setStackTrace(failure.getStackTrace());
        return named;
    }

    private static boolean hostInfoIncluded() {
        String categories = System.getProperty(INCLUDE_IN_EXCEPTIONS);
        if (categories == null) {
            categories = Security.getProperty(INCLUDE_IN_EXCEPTIONS);
        }
        if (categories == null) {
            return false;
        }
        for (String category : categories.split(",")) {
            if (category.trim().equalsIgnoreCase("hostInfo")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A failure of an established connection met by a read or a write. After the peer's reset a
     * read says "Connection reset" (NioSocketImpl's words) and a write what the kernel then
     * answers every send, EPIPE.
     */
    static SocketException ioFailure(IoError error, ChannelDirection direction, boolean resetByPeer) {
        if (resetByPeer) {
            return direction == ChannelDirection.READ ? reset() : new SocketException(Errno.text(Errno.EPIPE));
        }
        return new SocketException(error == IoError.SOCKET_CLOSED ? "Socket closed" : error.description());
    }

    /**
     * A call the kernel refused ({@code errno} non-zero), in the C library's words, which the JDK
     * passes on: a send that meets the peer's reset says ECONNRESET's, those after it (or after
     * the peer's end of stream) EPIPE's. Null without an errno.
     */
    static SocketException refused(int errno) {
        return errno == 0 ? null : new SocketException(Errno.text(errno));
    }

    /** An option (or address) the socket could not set or read: the kernel's words, or "Socket closed". */
    static SocketException optionFailure(IoErrorException e) {
        SocketException refused = refused(e.errno());
        if (refused != null) {
            return refused;
        }
        return e.error() == IoError.SOCKET_CLOSED ? closed() : new SocketException(e.getMessage(), e);
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
    static IOException bindFailure(IoErrorException e) {
        return switch (e.error()) {
            case SOCKET_ADDRESS_IN_USE -> new BindException("Address already in use");
            case SOCKET_INVALID_ADDRESS -> new BindException("Cannot assign requested address");
            case NO_PERMISSION -> new BindException("Permission denied");
            default -> new SocketException(e.getMessage());
        };
    }
}
