package io.reseau.net;

import io.reseau.socket.Socket;
import java.net.SocketException;
import java.net.SocketOption;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;

/**
 * What a socket refuses before it touches the kernel, for client and server sockets alike, in the
 * JDK's order and words (NioSocketImpl's): an unsupported option, a value of the wrong type, a
 * read-only option, then what the socket layer refuses itself.
 */
final class OptionChecks {
    private OptionChecks() {}

    static void checkReadable(Set<SocketOption<?>> supported, SocketOption<?> option) {
        if (!supported.contains(option)) {
            throw new UnsupportedOperationException("'" + option + "' not supported");
        }
    }

    static <T> void checkSettable(Set<SocketOption<?>> supported, SocketOption<T> option, T value) throws SocketException {
        checkReadable(supported, option);
        if (!option.type().isInstance(value)) {
            throw new IllegalArgumentException("Invalid value '" + value + "'");
        }
        if (option == ExtendedSocketOptions.SO_INCOMING_NAPI_ID) {
            throw new SocketException("Attempt to set read only option " + option);
        }
        Socket.checkOptionValue(option, value);
    }
}
