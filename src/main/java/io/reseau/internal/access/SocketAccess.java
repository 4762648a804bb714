package io.reseau.internal.access;

import io.reseau.common.IoErrorException;
import io.reseau.socket.Socket;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;

/**
 * What the blocking facade does to a callback-layer {@link Socket} beyond the socket's public API:
 * its callers' own sends and receives beside the loop, and the loop-side hooks those need. These
 * calls carry rules the socket cannot check (nothing of the owner's may wait in the write queue;
 * the channel must not read the socket meanwhile), so they stay out of the exported API. The
 * socket package installs the implementation; see {@code Socket}'s package-private methods of the
 * same names for each rule.
 */
public interface SocketAccess {
    /** Sends what the kernel takes now from any thread: the bytes sent, 0 when its buffer is full. */
    long sendNow(Socket socket, MemorySegment data, long offset, long length) throws IoErrorException;

    /** Sends one byte of urgent data now: false when the kernel's buffer is full. */
    boolean sendUrgentNow(Socket socket, byte data) throws IoErrorException;

    /** Receives what the kernel has now from any thread: the bytes received, 0 when none. */
    long receiveNow(Socket socket, MemorySegment data, long offset, long length) throws IoErrorException;

    /** The bytes received and not yet read; 0 once closed. */
    int bytesReadable(Socket socket);

    /** Loop thread: runs {@code observer} at every readability event instead of the readable callback. */
    void observeReadable(Socket socket, Runnable observer);

    /** Loop thread: runs {@code whenWritable} once, when the kernel has room. */
    void notifyWhenWritable(Socket socket, Runnable whenWritable);

    /** Loop thread: queue the writes that follow, to leave in one send at {@link #releaseWrites}. */
    void holdWrites(Socket socket);

    /** Loop thread: send what {@link #holdWrites} kept back. */
    void releaseWrites(Socket socket);

    /** Completes once the descriptor is really closed (a lingering close may take a while). */
    CompletableFuture<Void> whenDescriptorClosed(Socket socket);

    /** The implementation, installed when {@link Socket} is initialised. */
    static SocketAccess get() {
        SocketAccess access = Installed.socket;
        if (access == null) {
            Installed.initialise(Socket.class);
            access = Installed.socket;
        }
        return access;
    }

    /** Called once, by {@link Socket}'s initialiser. */
    static void install(SocketAccess access) {
        if (Installed.socket != null) {
            throw new IllegalStateException("socket access already installed");
        }
        Installed.socket = access;
    }
}
