package io.reseau.net;

import io.reseau.channel.ChannelDirection;
import io.reseau.common.IoError;
import java.io.IOException;

/**
 * One way of moving a connection's bytes between the threads that read and write it and the
 * socket: {@link DirectEngine} for a plain socket, {@link ChannelEngine} through a channel once TLS
 * is in place.
 *
 * <p>The {@link Connection} lets one reader and one writer in at a time (its read and write locks
 * are held across a wait, as the JDK's sockets hold theirs), so an engine waits for at most one of
 * each. The loop reports how the connection ends through the {@code on...} methods (its channel's
 * shutdown, or the socket's close when it has none); {@link #close}
 * and the half-closes may come from any thread, racing everything else.
 */
sealed interface Engine permits DirectEngine, ChannelEngine {
    /**
     * What {@link #read} and {@link #write} report once the engine has handed the connection over
     * to its successor: the caller goes on with the connection's current engine.
     */
    int RETIRED = -2;

    /**
     * Up to {@code length} bytes (at least one, {@code length > 0}), waiting until
     * {@code deadlineNanos} (a {@link System#nanoTime()} instant; 0 for none); -1 at the end of
     * the stream, or {@link #RETIRED}.
     */
    int read(byte[] bytes, int offset, int length, long deadlineNanos) throws IOException;

    /** Takes {@code length} bytes to send: all of them, or fewer when the engine retired meanwhile. */
    int write(byte[] bytes, int offset, int length) throws IOException;

    /** Sends one byte of TCP urgent data, or refuses: see {@link Connection#sendUrgentData}. */
    void sendUrgentData(byte data) throws IOException;

    /** Bytes a read can take without waiting. */
    int available() throws IOException;

    /** Reads return -1 from now on; what is buffered or arrives later is dropped. */
    void shutdownInput();

    /** Sends the end of the stream once everything written so far has left. */
    void shutdownOutput();

    /**
     * Fails blocked and later calls with "Socket closed", then (on the loop) lets what was written
     * leave and shuts the channel down; with {@code reset}, drops what is queued and resets.
     */
    void close(boolean reset);

    /**
     * The exception for a failure of the connection met by a read or a write ({@code direction}),
     * worded as the JDK (or JSSE) words it.
     */
    IOException failure(IoError error, ChannelDirection direction);

    /** On the loop: the read direction shut down ({@code error} null when clean). */
    void onReadShutdown(IoError error);

    /** On the loop: the write direction shut down (the socket closed), or the channel's handler was released. */
    void onChannelGone();
}
