package io.reseau.net;

import io.reseau.channel.ChannelDirection;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import io.reseau.internal.access.SocketAccess;
import io.reseau.socket.Socket;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine of a plain socket: readers and writers use the socket themselves, as the JDK's
 * sockets do, and the loop is only their poller.
 * <ul>
 * <li>A reader receives straight into its array (one copy, kernel to user). When nothing has
 * arrived it parks until the loop sees the socket readable; the kernel's receive buffer is the
 * read-ahead. The connection has no channel, so the loop never reads these bytes itself (they
 * would come out of order).
 * <li>A writer sends straight from its array. When the kernel's buffer is full it parks until the
 * loop reports room (the buffer is the bound of what is in flight), then sends again.
 * </ul>
 * Handing each read from the loop to the reader instead cost twice the JDK's CPU per message:
 * pooled messages, a lock and a cache line crossing cores for every message. The socket keeps its
 * descriptor open until direct calls in progress have returned, so a close on the loop can never
 * leave them a descriptor closed or reused under them.
 *
 * <p>{@link #retire} hands the connection over to TLS: a reader or writer waiting here then goes
 * on in the next engine.
 */
final class DirectEngine implements Engine, Runnable {
    private static final SocketAccess ACCESS = SocketAccess.get();
    private final Connection connection;
    private final Socket socket;
    // This object's monitor guards the state shared with closers and the loop; it is never held
    // across a wait.

    // The reader parks until the loop's count of readability events moves, or a state change under
    // the monitor unparks it. Each side writes its variable, then reads the other's: one of them sees
    // the other's write, so either the reader tries again or the loop unparks it.
    private volatile long readableEvents; // written by the loop only
    private volatile Thread parkedReader;
    private Thread parkedWriter; // guarded by the monitor

    // Guarded by the monitor.
    private final StreamState state;
    private boolean retired;
    private boolean socketGone; // closed on the loop, which says how it ended
    private boolean kernelFull; // the last send found no room
    private boolean writableRequested; // the loop will tell when there is room
    private Task watchWritableTask; // made when the kernel's buffer first fills

    DirectEngine(Connection connection) {
        this.connection = connection;
        this.socket = connection.socket();
        this.state = new StreamState(this);
    }

    @Override
    public IOException failure(IoError error, ChannelDirection direction) {
        return connection.failure(error, direction);
    }

    /** On the loop, once: the socket's readability events come here from now on. */
    void observeSocket() {
        ACCESS.observeReadable(socket, this); // run() hears of it
    }

    // ---- reading ----

    @Override
    public int read(byte[] bytes, int offset, int length, long deadlineNanos) throws IOException {
        MemorySegment into = MemorySegment.ofArray(bytes);
        boolean interruptHeld = false;
        try {
            while (true) {
                long seen = readableEvents;
                synchronized (this) {
                    int end = state.readEndBeforeData();
                    if (end != StreamState.GO_ON) {
                        return end;
                    }
                    if (retired) {
                        return RETIRED;
                    }
                    end = state.readEndAfterData();
                    if (end != StreamState.GO_ON) {
                        return end;
                    }
                    if (!socketGone) {
                        int n = receive(into, offset, length);
                        if (n > 0) {
                            return n;
                        }
                        if (n < 0) {
                            continue; // the end, or a failure: reported above
                        }
                    }
                    parkedReader = Thread.currentThread(); // under the monitor: a state change unparks it
                }
                interruptHeld |= Blocking.takePlatformInterrupt();
                try {
                    if (readableEvents == seen && !Blocking.park(this, deadlineNanos)) {
                        throw new SocketTimeoutException("Read timed out");
                    }
                } finally {
                    parkedReader = null;
                }
            }
        } finally {
            Blocking.giveBackInterrupt(interruptHeld);
        }
    }

    /**
     * Receives what the kernel has: the bytes, 0 when none have arrived, -1 when the stream ended
     * or failed (recorded). The receive's own answer decides, as in the JDK: after a send met the
     * peer's reset (and took the kernel's report of it), the kernel answers the end of the stream.
     * Under the monitor.
     */
    private int receive(MemorySegment into, int offset, int length) {
        try {
            return (int) ACCESS.receiveNow(socket, into, offset, length);
        } catch (IoErrorException e) {
            if (!socket.isOpen()) {
                socketGone = true;
            } else if (e.error() == IoError.SOCKET_CLOSED && e.errno() == 0) { // no errno: the end of the stream
                state.endOfStream = true;
            } else {
                state.readFailure = e.error();
            }
            return -1;
        }
    }

    @Override
    public int available() throws IOException {
        synchronized (this) {
            if (state.closed) {
                throw SocketErrors.closed();
            }
            return state.inputShutdown || retired ? 0 : ACCESS.bytesReadable(socket);
        }
    }

    /** The socket turned readable (the loop thread): wake the reader waiting for it. */
    @Override
    public void run() {
        readableEvents = readableEvents + 1;
        Thread reader = parkedReader;
        if (reader != null) {
            LockSupport.unpark(reader);
        }
    }

    // ---- writing ----

    @Override
    public int write(byte[] bytes, int offset, int length) throws IOException {
        MemorySegment from = MemorySegment.ofArray(bytes);
        int sent = 0;
        boolean interruptHeld = false;
        try {
            while (sent < length) {
                synchronized (this) {
                    state.ensureWritable();
                    if (retired) {
                        return sent;
                    }
                    if (!kernelFull) {
                        long n;
                        try {
                            n = ACCESS.sendNow(socket, from, offset + sent, length - sent);
                        } catch (IoErrorException e) {
                            throw state.sendFailed(e);
                        }
                        if (n > 0) {
                            sent += (int) n;
                            continue;
                        }
                        kernelFull = true;
                    }
                    if (!writableRequested) {
                        writableRequested = true;
                        if (watchWritableTask == null) {
                            watchWritableTask = new Task("facade-watch-writable", this::watchWritable);
                        }
                        connection.loop().scheduleNow(watchWritableTask);
                    }
                    parkedWriter = Thread.currentThread();
                }
                interruptHeld |= Blocking.takePlatformInterrupt();
                try {
                    Blocking.park(this, 0);
                } finally {
                    clearParkedWriter();
                }
            }
        } finally {
            Blocking.giveBackInterrupt(interruptHeld);
        }
        return sent;
    }

    private void clearParkedWriter() {
        synchronized (this) {
            parkedWriter = null;
        }
    }

    @Override
    public void sendUrgentData(byte data) throws IOException {
        synchronized (this) {
            state.ensureWritable();
            if (retired) {
                throw ChannelEngine.urgentDataRefused();
            }
            boolean sent;
            try {
                sent = ACCESS.sendUrgentNow(socket, data);
            } catch (IoErrorException e) {
                throw state.sendFailed(e);
            }
            if (!sent) {
                throw new SocketException("No buffer space available"); // the JDK's words when the kernel's buffer is full
            }
        }
    }

    /** On the loop: ask the socket to say when the kernel has room again. */
    private void watchWritable(TaskStatus status) {
        if (status == TaskStatus.RUN_READY && socket.isOpen()) {
            ACCESS.notifyWhenWritable(socket, this::onSocketWritable);
        } else {
            onSocketWritable();
        }
    }

    private void onSocketWritable() {
        synchronized (this) {
            kernelFull = false;
            writableRequested = false;
            wakeWriter();
        }
    }

    // ---- the switch to TLS ----

    /**
     * Gives the connection up to the next engine, unless it can no longer carry a handshake: then
     * it stays and the reason is returned. A reader or writer waiting here goes on in the next engine.
     */
    IOException retire() {
        synchronized (this) {
            IOException unusable = state.closed ? SocketErrors.closed()
                    : state.readFailure != null ? connection.failure(state.readFailure, ChannelDirection.READ)
                    : state.writeFailure != null ? connection.failure(state.writeFailure, ChannelDirection.WRITE)
                    : socketGone || state.readEnded() ? new SocketException("Connection closed by the peer")
                    : state.inputShutdown ? new SocketException("Socket input is shutdown")
                    : state.outputShutdown ? new SocketException("Socket output is shutdown")
                    : null;
            if (unusable == null) {
                retired = true;
                wakeReader();
                wakeWriter();
            }
            return unusable;
        }
    }

    // ---- half-close and close ----

    @Override
    public void shutdownInput() {
        synchronized (this) {
            if (!state.shutDownInput()) {
                return;
            }
            wakeReader();
        }
        connection.shutdownSocketInput();
    }

    @Override
    public void shutdownOutput() {
        synchronized (this) {
            if (!state.shutDownOutput()) {
                return;
            }
            wakeWriter();
        }
        connection.onLoop("facade-shutdown-output", () -> {
            if (socket.isOpen()) {
                socket.shutdownOutput(); // everything written is already in the kernel
            }
        });
    }

    @Override
    public void close(boolean reset) {
        synchronized (this) {
            if (!state.close()) {
                return;
            }
            wakeReader();
            wakeWriter();
        }
        connection.onLoop("facade-close", () -> {
            if (reset) {
                connection.abort();
            } else {
                connection.shutdownChannel();
            }
        });
    }

    // ---- the loop ----

    @Override
    public void onReadShutdown(IoError error) {
        synchronized (this) {
            socketGone = true;
            state.readShutDown(error, socket.isResetByPeer());
            wakeReader();
            wakeWriter();
        }
    }

    @Override
    public void onChannelGone() {
        synchronized (this) {
            socketGone = true;
            if (!state.readEnded()) {
                state.readShutDown(IoError.SOCKET_CLOSED, true); // gone without its read side saying how
            }
            wakeReader();
            wakeWriter();
        }
    }

    /** Under the monitor. */
    private void wakeReader() {
        Thread reader = parkedReader;
        if (reader != null) {
            LockSupport.unpark(reader);
        }
    }

    /** Under the monitor. */
    private void wakeWriter() {
        if (parkedWriter != null) {
            LockSupport.unpark(parkedWriter);
        }
    }
}
