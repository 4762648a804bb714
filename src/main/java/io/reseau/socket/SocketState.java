package io.reseau.socket;

import io.reseau.common.IoError;

/**
 * aws-c-io's socket states, as bits of one int: a connected socket is both {@link #CONNECTED_READ}
 * and {@link #CONNECTED_WRITE} until a shutdown clears one.
 */
final class SocketState {
    static final int INIT = 0x01;
    static final int CONNECTING = 0x02;
    static final int CONNECTED_READ = 0x04;
    static final int CONNECTED_WRITE = 0x08;
    static final int BOUND = 0x10;
    static final int LISTENING = 0x20;
    static final int TIMEDOUT = 0x40;
    static final int ERROR = 0x80;
    static final int CLOSED = 0x100;

    private static final String[] NAMES = {"INIT", "CONNECTING", "CONNECTED_READ", "CONNECTED_WRITE", "BOUND",
        "LISTENING", "TIMEDOUT", "ERROR", "CLOSED"};

    private SocketState() {}

    /** Fails an operation the socket's state does not allow, naming the state. */
    static void require(int state, int allowed, String operation) {
        if ((state & allowed) == 0) {
            throw new IllegalStateException(IoError.SOCKET_ILLEGAL_OPERATION_FOR_STATE.awsName() + ": cannot "
                    + operation + " a socket that is " + describe(state));
        }
    }

    /** The state's bits by name, such as {@code CONNECTED_READ|CONNECTED_WRITE}. */
    static String describe(int state) {
        StringBuilder text = new StringBuilder();
        for (int bit = 0; bit < NAMES.length; bit++) {
            if ((state & (1 << bit)) != 0) {
                text.append(text.isEmpty() ? "" : "|").append(NAMES[bit]);
            }
        }
        return text.isEmpty() ? "shut down both ways" : text.toString();
    }
}
