package io.reseau.net;

import io.reseau.channel.ChannelDirection;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.io.IOException;
import java.net.SocketException;

/**
 * Where a connection's two directions stand (closed, half-closed, ended, failed) and what reads and
 * writes then report, with the JDK's rules: the end of the stream and a reset are sticky, and a
 * -1 once returned stays -1, even after close. Guarded by its engine's lock.
 */
final class StreamState {
    /** What {@link #readEndBeforeData} and {@link #readEndAfterData} return when the read goes on. */
    static final int GO_ON = 0;

    private final Engine words; // how failures are worded
    boolean closed;
    boolean inputShutdown;
    boolean outputShutdown;
    boolean endOfStream;
    private boolean eofReturned;
    IoError readFailure;
    IoError writeFailure;

    StreamState(Engine words) {
        this.words = words;
    }

    /** Marks the input shut down: false if it already was, or the stream is closed. */
    boolean shutDownInput() {
        boolean first = !inputShutdown && !closed;
        inputShutdown = true;
        return first;
    }

    /** Marks the output shut down: false if it already was, or the stream is closed. */
    boolean shutDownOutput() {
        boolean first = !outputShutdown && !closed;
        outputShutdown = true;
        return first;
    }

    /** Marks the stream closed: false if it already was. */
    boolean close() {
        boolean first = !closed;
        closed = true;
        return first;
    }

    /** -1 or an exception for a read that must not look for data; else {@link #GO_ON}. */
    int readEndBeforeData() throws IOException {
        if (eofReturned) {
            return -1;
        }
        if (closed) {
            throw SocketErrors.closed();
        }
        return inputShutdown ? -1 : GO_ON;
    }

    /** -1 or an exception for a read that found no data; else {@link #GO_ON}, and the read waits. */
    int readEndAfterData() throws IOException {
        if (readFailure != null) {
            throw words.failure(readFailure, ChannelDirection.READ);
        }
        if (endOfStream) {
            eofReturned = true;
            return -1;
        }
        return GO_ON;
    }

    void ensureWritable() throws IOException {
        if (closed) {
            throw SocketErrors.closed();
        }
        if (outputShutdown) {
            throw new SocketException("Socket output is shutdown");
        }
        if (writeFailure != null) {
            throw words.failure(writeFailure, ChannelDirection.WRITE);
        }
    }

    /** A failed write: later writes fail the same way. */
    IOException writeFailed(IoError error) {
        if (writeFailure == null) {
            writeFailure = error;
        }
        return words.failure(error, ChannelDirection.WRITE);
    }

    /**
     * A send the kernel refused: this write fails in the kernel's words, as the JDK's does; later
     * writes fail as {@link #writeFailed} says.
     */
    IOException sendFailed(IoErrorException refused) {
        IOException failure = writeFailed(refused.error());
        SocketException worded = SocketErrors.refused(refused.errno());
        return worded != null ? worded : failure;
    }

    /** Whether reading has ended or failed (bytes still buffered aside). */
    boolean readEnded() {
        return eofReturned || endOfStream || readFailure != null;
    }

    /**
     * The channel's read direction shut down: a clean shutdown, or a socket the peer closed without
     * a reset, is the end of the stream; anything else a failure. Writes fail from now on.
     */
    void readShutDown(IoError error, boolean resetByPeer) {
        if (error == null || (error == IoError.SOCKET_CLOSED && !resetByPeer)) {
            endOfStream = true;
        } else {
            readFailure = error;
        }
        if (writeFailure == null) {
            writeFailure = error == null ? IoError.SOCKET_CLOSED : error;
        }
    }
}
