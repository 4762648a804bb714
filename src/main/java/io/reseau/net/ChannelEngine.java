package io.reseau.net;

import io.reseau.channel.Channel;
import io.reseau.channel.ChannelDirection;
import io.reseau.channel.ChannelState;
import io.reseau.channel.IoMessage;
import io.reseau.channel.MessagePool;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import io.reseau.internal.access.SocketAccess;
import io.reseau.internal.ffi.Libc;
import io.reseau.socket.Socket;
import io.reseau.tls.TlsChannelHandler;
import io.reseau.tls.TlsFailure;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;

/**
 * The engine of a channel with handlers between the socket and the connection (TLS): everything
 * goes through the loop.
 *
 * <p>Reads: the loop queues the channel's read messages here; the reader copies bytes out of them
 * and, when none are buffered, polls for {@link #READ_POLL_NANOS} before it parks (while its waits
 * stay short). What may be buffered is bounded by the channel's read window, re-opened by what the
 * reader consumed in batches (a quarter window at a time).
 *
 * <p>Writes: the writer copies its bytes into pooled messages (appended to the last one while the
 * loop has not taken it) and hands them over; one loop task sends everything handed over since the
 * last. The writer parks only while more than the write bound is in flight; failures surface on
 * the next call.
 *
 * <p>One short lock guards the state; the loop takes it to hand messages over.
 */
final class ChannelEngine implements Engine {
    private static final SocketAccess ACCESS = SocketAccess.get();
    /**
     * How long a reader polls for the loop's hand-over before it parks (system property
     * {@code reseau.net.readPollMicros}; 0 parks at once): waking a parked virtual thread's carrier
     * costs about as much as a TLS echo's whole turn-around.
     */
    static final long READ_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("reseau.net.readPollMicros", 50));
    /** How long a graceful close keeps flushing queued writes before it resets the connection. */
    static final long CLOSE_FLUSH_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Connection connection;
    private final Socket socket;
    private final MessagePool pool;
    private final ReentrantLock lock = new ReentrantLock();
    // Made when a thread first waits on them (under the lock): an idle connection never needs them.
    private Condition readable;
    private Condition writable;
    private TlsChannelHandler tls; // loop thread only; set once in place
    private TlsFailure tlsFailure; // guarded by lock: why TLS failed after its handshake

    // Read side (guarded by lock).
    private ArrayDeque<IoMessage> incoming; // made when the first bytes arrive: idle connections are many
    private int headOffset;
    private long buffered;
    private final StreamState state; // both directions
    private long credit;
    private boolean creditScheduled;
    private final long creditThreshold;
    private Task creditTask; // made at the first hand-back
    private boolean readerWakeScheduled;
    private Task wakeReaderTask; // made at the first message
    // Bumped (under the lock) by whatever the reader may be waiting for; a polling reader watches it
    // without the lock.
    private volatile long readerEvents;
    // Whether the next wait polls first: it does while waits are short, so that a connection whose
    // reader waits long (an idle keep-alive) does not burn the poll every time.
    private boolean pollBeforeWaiting = true;

    // Write side (guarded by lock). The queues and their task are made at the first hand-over.
    private ArrayDeque<IoMessage> outgoing;
    private ArrayDeque<IoMessage> sending; // loop thread only, between swaps
    private boolean flushScheduled;
    private Task flushTask;
    private long inFlight;
    private boolean shutdownOutputPending;

    // Life (guarded by lock).
    private boolean closeWhenFlushed;
    private boolean channelDown;

    ChannelEngine(Connection connection) {
        this.connection = connection;
        this.socket = connection.socket();
        this.pool = connection.pool();
        this.creditThreshold = Math.max(1, connection.readWindow() / 4);
        this.state = new StreamState(this);
    }

    /** On the loop: the TLS handler is in the channel; its failures and close_notify come from it. */
    void tlsInPlace(TlsChannelHandler handler) {
        tls = handler;
    }

    /** TLS's reason when TLS failed, else the socket's. Under the lock. */
    @Override
    public IOException failure(IoError error, ChannelDirection direction) {
        if (tlsFailure != null) {
            return new SSLException(tlsFailure.toString());
        }
        if (error.isTls()) {
            return new SSLException(error.description());
        }
        return connection.failure(error, direction);
    }

    // ---- reading ----

    @Override
    public int read(byte[] bytes, int offset, int length, long deadlineNanos) throws IOException {
        lock.lock();
        try {
            while (true) {
                int end = state.readEndBeforeData();
                if (end != StreamState.GO_ON) {
                    return end;
                }
                if (buffered > 0) {
                    return copyOut(bytes, offset, length);
                }
                end = state.readEndAfterData();
                if (end != StreamState.GO_ON) {
                    return end;
                }
                if (pollBeforeWaiting && READ_POLL_NANOS > 0 && pollForReaderEvent()) {
                    continue;
                }
                // No credit hand-back here: what a reader holds back is under a quarter of the
                // window, so the loop still has room to read into.
                long waitStart = System.nanoTime();
                boolean signalled = Blocking.await(readableCondition(), deadlineNanos);
                pollBeforeWaiting = System.nanoTime() - waitStart <= 2 * READ_POLL_NANOS;
                if (!signalled) {
                    throw new SocketTimeoutException("Read timed out");
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Polls, with the lock released, for up to {@link #READ_POLL_NANOS} for anything the reader
     * waits for, yielding to other virtual threads and to the OS threads (loops) sharing this
     * processor. Under the lock.
     *
     * @return whether something happened: the caller looks again rather than waits
     */
    private boolean pollForReaderEvent() {
        long seen = readerEvents;
        boolean virtual = Thread.currentThread().isVirtual();
        lock.unlock();
        try {
            long end = System.nanoTime() + READ_POLL_NANOS;
            do {
                Thread.yield();
                if (virtual) {
                    Libc.schedYield();
                }
            } while (readerEvents == seen && System.nanoTime() < end);
        } finally {
            lock.lock();
        }
        return readerEvents != seen; // under the lock: nothing can slip in before the caller waits
    }

    @Override
    public int available() throws IOException {
        lock.lock();
        try {
            if (state.closed) {
                throw SocketErrors.closed();
            }
            return state.inputShutdown ? 0 : (int) Math.min(buffered, Integer.MAX_VALUE);
        } finally {
            lock.unlock();
        }
    }

    private int copyOut(byte[] bytes, int offset, int length) {
        int copied = 0;
        while (copied < length && incoming != null && !incoming.isEmpty()) {
            IoMessage head = incoming.peek();
            int n = Math.min(length - copied, head.length() - headOffset);
            MemorySegment.copy(head.buffer(), ValueLayout.JAVA_BYTE, headOffset, bytes, offset + copied, n);
            copied += n;
            headOffset += n;
            if (headOffset == head.length()) {
                incoming.poll();
                head.release();
                headOffset = 0;
            }
        }
        buffered -= copied;
        credit += copied;
        if (credit >= creditThreshold) {
            scheduleCredit();
        }
        return copied;
    }

    private void scheduleCredit() {
        if (credit > 0 && !creditScheduled && !channelDown) {
            creditScheduled = true;
            if (creditTask == null) {
                creditTask = new Task("facade-read-credit", this::returnCredit);
            }
            connection.loop().scheduleNow(creditTask);
        }
    }

    private void returnCredit(TaskStatus status) {
        long granted;
        lock.lock();
        try {
            granted = credit;
            credit = 0;
            creditScheduled = false;
        } finally {
            lock.unlock();
        }
        if (status == TaskStatus.RUN_READY && granted > 0) {
            connection.slot().incrementReadWindow(granted);
        }
    }

    // ---- writing ----

    @Override
    public int write(byte[] bytes, int offset, int length) throws IOException {
        int taken = 0;
        while (taken < length) {
            int n = appendToLast(bytes, offset + taken, length - taken);
            if (n == 0) {
                IoMessage message = pool.acquire(MessagePool.MAX_FRAGMENT_SIZE, connection.channel());
                n = Math.min(length - taken, message.capacity());
                MemorySegment.copy(bytes, offset + taken, message.buffer(), ValueLayout.JAVA_BYTE, 0, n);
                message.setLength(n);
                handOver(message);
            }
            taken += n;
        }
        return taken;
    }

    @Override
    public void sendUrgentData(byte data) throws IOException {
        lock.lock();
        try {
            state.ensureWritable();
            throw urgentDataRefused();
        } finally {
            lock.unlock();
        }
    }

    static SocketException urgentDataRefused() {
        return new SocketException("Urgent data not supported over TLS");
    }

    /** Waits for room, then appends to the last message not yet taken by the loop; 0 if there is none. */
    private int appendToLast(byte[] bytes, int offset, int length) throws IOException {
        lock.lock();
        try {
            while (true) {
                state.ensureWritable();
                if (inFlight < connection.writeBound()) {
                    break;
                }
                Blocking.await(writableCondition(), 0);
            }
            IoMessage last = outgoing == null ? null : outgoing.peekLast();
            if (last == null || last.remaining() == 0) {
                return 0;
            }
            int n = Math.min(length, last.remaining());
            MemorySegment.copy(bytes, offset, last.buffer(), ValueLayout.JAVA_BYTE, last.length(), n);
            last.setLength(last.length() + n);
            inFlight += n;
            return n;
        } finally {
            lock.unlock();
        }
    }

    private void handOver(IoMessage message) throws IOException {
        lock.lock();
        try {
            try {
                state.ensureWritable();
            } catch (IOException e) {
                message.release();
                throw e;
            }
            if (outgoing == null) {
                outgoing = new ArrayDeque<>(4);
                sending = new ArrayDeque<>(4);
                flushTask = new Task("facade-flush", this::flush);
            }
            outgoing.add(message);
            inFlight += message.length();
            if (!flushScheduled) {
                flushScheduled = true;
                connection.loop().scheduleNow(flushTask);
            }
        } finally {
            lock.unlock();
        }
    }

    private void flush(TaskStatus status) {
        lock.lock();
        try {
            ArrayDeque<IoMessage> taken = outgoing;
            outgoing = sending;
            sending = taken;
            flushScheduled = false;
        } finally {
            lock.unlock();
        }
        boolean hold = status == TaskStatus.RUN_READY && socket.isOpen();
        if (hold) {
            ACCESS.holdWrites(socket); // what the messages become (TLS records) leaves in one sendmsg
        }
        try {
            Channel channel = connection.channel(); // null while TLS is being put in place: nothing may be written yet
            for (IoMessage message = sending.poll(); message != null; message = sending.poll()) {
                if (status == TaskStatus.CANCELED || channel == null || channel.state() != ChannelState.ACTIVE) {
                    dropWrite(message, IoError.SOCKET_CLOSED);
                    continue;
                }
                // The length goes along: a handler between may complete the write with another message
                // (TLS: the record that carried the bytes), as aws-c-io's handlers do.
                message.onCompletion(connection.handler(), message.length());
                try {
                    connection.slot().sendMessage(message, ChannelDirection.WRITE);
                } catch (IoErrorException e) {
                    dropWrite(message, e.error());
                }
            }
        } finally {
            if (hold) {
                ACCESS.releaseWrites(socket);
            }
        }
    }

    /** A message that will never be sent: its bytes leave the in-flight count, and the pool has it back. */
    private void dropWrite(IoMessage message, IoError error) {
        int length = message.length();
        message.release();
        lock.lock();
        try {
            inFlight -= length;
            state.writeFailed(error);
            wakeWriter();
        } finally {
            lock.unlock();
        }
    }

    // ---- half-close and close ----

    @Override
    public void shutdownOutput() {
        lock.lock();
        try {
            if (!state.shutDownOutput()) {
                return;
            }
            wakeWriter();
        } finally {
            lock.unlock();
        }
        connection.onLoop("facade-shutdown-output", () -> {
            lock.lock();
            try {
                shutdownOutputPending = true;
                shutdownOutputIfFlushed();
            } finally {
                lock.unlock();
            }
        });
    }

    @Override
    public void shutdownInput() {
        lock.lock();
        try {
            if (!state.shutDownInput()) {
                return;
            }
            discardIncoming();
            wakeReader();
            scheduleCredit();
        } finally {
            lock.unlock();
        }
        connection.shutdownSocketInput();
    }

    @Override
    public void close(boolean reset) {
        lock.lock();
        try {
            if (!state.close()) {
                return;
            }
            discardIncoming();
            wakeReader();
            wakeWriter();
        } finally {
            lock.unlock();
        }
        connection.onLoop("facade-close", () -> {
            if (reset) {
                connection.abort();
                return;
            }
            lock.lock();
            try {
                closeWhenFlushed = true;
                shutdownIfFlushed();
                if (closeWhenFlushed) {
                    connection.loop().scheduleFuture(new Task("facade-close-limit", s -> abortIfStillFlushing()),
                            connection.loop().currentTimeNanos() + CLOSE_FLUSH_LIMIT_NANOS);
                }
            } finally {
                lock.unlock();
            }
        });
    }

    private void abortIfStillFlushing() {
        boolean stuck;
        lock.lock();
        try {
            stuck = closeWhenFlushed;
        } finally {
            lock.unlock();
        }
        if (stuck) {
            connection.abort(); // the peer stopped reading: give up on what is left
        }
    }

    private void discardIncoming() {
        if (incoming != null) {
            for (IoMessage message = incoming.poll(); message != null; message = incoming.poll()) {
                message.release();
            }
        }
        credit += buffered;
        buffered = 0;
        headOffset = 0;
    }

    // ---- the loop ----

    /** A read message from the channel (the loop thread). */
    void onRead(IoMessage message) {
        lock.lock();
        try {
            if (message.tag() == IoMessage.TAG_END_OF_STREAM) {
                message.release();
                state.endOfStream = true;
            } else if (state.closed || state.inputShutdown || message.tag() == IoMessage.TAG_TLS_NEGOTIATED_PROTOCOL) {
                // Dropped (the protocol's name is not data: the TLS socket asks the handshake for it),
                // but the window must open again.
                credit += message.length();
                message.release();
                scheduleCredit();
            } else {
                if (incoming == null) {
                    incoming = new ArrayDeque<>(4);
                }
                incoming.add(message);
                buffered += message.length();
                readerEvents++;
            }
            wakeReaderAfterBatch();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Wakes the reader once the loop has handed over all it has now (one socket read's records come
     * one message each): waking it for each message cost a thread wake-up per TLS record, and a
     * reader woken early only parks again. Under the lock, on the loop.
     */
    private void wakeReaderAfterBatch() {
        if (!readerWakeScheduled) {
            readerWakeScheduled = true;
            if (wakeReaderTask == null) {
                wakeReaderTask = new Task("facade-wake-reader", status -> {
                    lock.lock();
                    try {
                        readerWakeScheduled = false;
                        wakeReader();
                    } finally {
                        lock.unlock();
                    }
                });
            }
            connection.loop().scheduleNow(wakeReaderTask);
        }
    }

    @Override
    public void onReadShutdown(IoError error) {
        TlsFailure failed = tls == null ? null : tls.failureAfterHandshake();
        lock.lock();
        try {
            tlsFailure = failed;
            channelDown = true;
            state.readShutDown(error, socket.isResetByPeer());
            wakeReader();
            wakeWriter();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Nothing queued will be sent any more. Bytes that arrived before the end stay readable (the
     * JDK's ReadAfterReset); close() returns them to the pool.
     */
    @Override
    public void onChannelGone() {
        lock.lock();
        try {
            channelDown = true;
            if (outgoing != null) {
                for (IoMessage message = outgoing.poll(); message != null; message = outgoing.poll()) {
                    inFlight -= message.length();
                    message.release();
                }
            }
            wakeReader();
            wakeWriter();
        } finally {
            lock.unlock();
        }
    }

    /** {@code length} bytes written by this connection reached the socket, or could not. */
    void onWriteCompleted(int length, IoError error) {
        lock.lock();
        try {
            inFlight -= length;
            if (error != null) {
                state.writeFailed(error);
            }
            // The writer waits for half the bound to drain, not for each record: a wake-up per
            // record cost the loop more than the record's encryption.
            if (error != null || inFlight <= connection.writeBound() / 2) {
                wakeWriter();
            }
            shutdownOutputIfFlushed();
            shutdownIfFlushed();
        } finally {
            lock.unlock();
        }
    }

    private void shutdownOutputIfFlushed() {
        if (shutdownOutputPending && inFlight == 0) {
            shutdownOutputPending = false;
            try {
                if (tls != null) {
                    tls.closeOutput(); // close_notify: the peer reads the end, this side can still read
                } else if (socket.isOpen()) {
                    socket.shutdownOutput();
                }
            } catch (IoErrorException e) {
                // the connection is ending anyway
            }
        }
    }

    private void shutdownIfFlushed() {
        if (closeWhenFlushed && inFlight == 0) {
            closeWhenFlushed = false;
            connection.shutdownChannel();
        }
    }

    private Condition readableCondition() {
        if (readable == null) {
            readable = lock.newCondition();
        }
        return readable;
    }

    private Condition writableCondition() {
        if (writable == null) {
            writable = lock.newCondition();
        }
        return writable;
    }

    /** Wakes the reader, waiting or polling. Under the lock. */
    private void wakeReader() {
        readerEvents++;
        if (readable != null) {
            readable.signalAll();
        }
    }

    /** Under the lock. */
    private void wakeWriter() {
        if (writable != null) {
            writable.signalAll();
        }
    }
}
