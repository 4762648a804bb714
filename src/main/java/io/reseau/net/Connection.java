package io.reseau.net;

import io.reseau.channel.Channel;
import io.reseau.channel.ChannelDirection;
import io.reseau.channel.ChannelState;
import io.reseau.channel.ChannelSlot;
import io.reseau.channel.IoMessage;
import io.reseau.channel.MessagePool;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.common.Task;
import io.reseau.common.TaskStatus;
import io.reseau.eventloop.EventLoop;
import io.reseau.internal.ffi.Libc;
import io.reseau.socket.Socket;
import io.reseau.socket.SocketChannelHandler;
import io.reseau.tls.TlsChannelHandler;
import io.reseau.tls.TlsConnectionOptions;
import io.reseau.tls.TlsFailure;
import io.reseau.tls.TlsNegotiation;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLException;
import java.net.StandardSocketOptions;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bridge between one connected channel and the threads that read and write it.
 *
 * <p>On a plain channel (the socket handler next to this connection's, as for TCP), readers and
 * writers use the socket themselves, as the JDK's sockets do, and the loop is only their poller:
 * <ul>
 * <li>a reader receives straight into its array (one copy, kernel to user). When nothing has
 * arrived it parks until the loop sees the socket readable; the kernel's receive buffer is the
 * read-ahead. The channel's read window stays closed, so the loop never reads these bytes itself
 * (they would come out of order).
 * <li>a writer sends straight from its array. When the kernel's buffer is full it parks until the
 * loop reports room (the buffer is the bound of what is in flight), then sends again.
 * </ul>
 * Handing each read from the loop to the reader instead cost twice the JDK's CPU per message
 * (scenario C): pooled messages, a lock and a cache line crossing cores for every message. The
 * socket keeps its descriptor open until direct calls in progress have returned, so a close on
 * the loop can never leave them a descriptor closed or reused under them.
 *
 * <p>With handlers between (TLS, which {@link #startTls} puts there), everything goes through the
 * loop. Reads: the loop queues the channel's read messages here; a reader copies bytes out of them
 * and, when none are buffered, polls for {@link #READ_POLL_NANOS} before it parks (while its waits
 * stay short). What may be buffered is bounded by the channel's read window, re-opened by
 * what readers consumed in batches (a quarter window at a time). Writes: a writer copies its
 * bytes into pooled messages (appended to the last one while the loop has not taken it) and hands
 * them over; one loop task sends everything handed over since the last. The writer parks only
 * while more than the write bound is in flight; failures surface on the next call.
 *
 * <p>One short lock guards the state; the loop takes it to hand messages over, and to wake a
 * reader waiting for the socket.
 */
final class Connection {
    /**
     * What the loop may read ahead of a reader. 1 MiB measured best for a stream (B): 256 KiB
     * stalls the loop on credit, 2-4 MiB of buffered messages no longer fit in cache.
     */
    static final long DEFAULT_READ_WINDOW = 1024 * 1024;
    /**
     * What a writer may have in flight before it parks (it wakes at half). 512 KiB measured best
     * for a TLS stream (D2, same-JVM ABBA, 24 pairs twice: +13% MiB/s, -15% CPU per MiB over
     * 256 KiB, which woke the writer every 128 KiB; 1 MiB no better); a plain stream sends
     * directly and does not notice.
     */
    static final long DEFAULT_WRITE_BOUND = 512 * 1024;
    /**
     * What a blocking socket's channel reads per loop turn: a whole read window at once, where
     * aws-c-io's 16 KiB would cost a loop turn per 16 KiB of a stream.
     */
    static final int MAX_READ_PER_TURN = 1024 * 1024;
    /** How long a graceful close keeps flushing queued writes before it resets the connection. */
    static final long CLOSE_FLUSH_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * How long a reader of a TLS channel polls for the loop's hand-over before it parks (system
     * property {@code reseau.net.readPollMicros}; 0 parks at once). Waking a parked virtual
     * thread's carrier costs about a TLS echo's whole turn-around: polling 50 µs made D3 30% faster
     * (three same-hour pairs, all ahead) and left D1 and D2 as they were.
     */
    static final long READ_POLL_NANOS = 1000 * Long.getLong("reseau.net.readPollMicros", 50);

    private final ReentrantLock lock = new ReentrantLock();
    // Made when a thread first waits on them (under the lock): an idle connection, or a direct
    // reader (which parks), never needs them.
    private Condition readable;
    private Condition writable;
    private final Channel channel;
    private final EventLoop loop;
    private final MessagePool pool;
    private final Socket socket;
    private ChannelSlot slot;
    private final FacadeHandler handler;
    private final long readWindow;
    private TlsChannelHandler tls; // loop thread only; null until startTls
    private TlsFailure tlsFailure; // guarded by lock: why TLS failed after its handshake

    // Read side (guarded by lock).
    private ArrayDeque<IoMessage> incoming; // made when the first bytes arrive: idle connections are many
    private boolean directReads; // plain channel, until it goes down
    // A direct reader that found nothing parks until the loop's count of readability events moves.
    // Each side writes its variable, then reads the other's: one of them sees the other's write, so
    // either the reader tries again or the loop unparks it; neither takes the lock for it.
    private volatile long readableEvents; // written by the loop only
    private volatile Thread parkedReader;
    private int headOffset;
    private long buffered;
    private boolean endOfStream;
    private boolean eofReturned;
    private IoError readFailure;
    private boolean inputShutdown;
    private long credit;
    private boolean creditScheduled;
    private final long creditThreshold;
    private Task creditTask; // made at the first hand-back
    private boolean readersWakeScheduled;
    private Task wakeReadersTask; // made at the first message
    // Bumped (under the lock) by whatever a reader may be waiting for; a polling reader watches it
    // without the lock.
    private volatile long readerEvents;
    // Whether the next wait polls first: it does while waits are short, so that a connection whose
    // reader waits long (an idle keep-alive) does not burn the poll every time.
    private boolean pollBeforeWaiting = true;

    // Write side (guarded by lock). The queue and its task are made at the first hand-over:
    // direct sends never need them.
    private ArrayDeque<IoMessage> outgoing;
    private ArrayDeque<IoMessage> sending; // loop thread only, between swaps
    private boolean flushScheduled;
    private Task flushTask;
    private long inFlight;
    private volatile long writeBound;
    private IoError writeFailure;
    private boolean outputShutdown;
    private boolean shutdownOutputPending;
    private boolean directSends; // plain channel, until it starts going down
    private boolean kernelFull; // the last direct send found no room
    private boolean writableRequested; // the loop will tell when there is room
    private Task watchWritableTask; // made when the kernel's buffer first fills

    // Life (guarded by lock).
    private boolean closed;
    private boolean closeWhenFlushed;
    private boolean channelDown;

    private Connection(Channel channel, long readWindow, long writeBound, boolean plain) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.pool = MessagePool.PER_LOOP.get(loop);
        this.socket = ((SocketChannelHandler) channel.firstSlot().handler()).socket();
        this.readWindow = readWindow;
        this.creditThreshold = Math.max(1, readWindow / 4);
        this.writeBound = writeBound;
        this.directReads = plain;
        this.directSends = plain;
        this.handler = new FacadeHandler(this, plain ? 0 : readWindow); // plain: the loop reads nothing
    }

    /** Puts a connection at the end of a freshly set-up channel. On the channel's loop. */
    static Connection attach(Channel channel, long readWindow, long writeBound) {
        boolean plain = channel.firstSlot().right() == null; // nothing between the socket handler and us
        Connection connection = new Connection(channel, readWindow, writeBound, plain);
        ChannelSlot slot = channel.newSlot();
        channel.insertEnd(slot);
        connection.slot = slot;
        slot.setHandler(connection.handler);
        if (plain) {
            connection.socket.observeReadable(connection::onSocketReadable);
        }
        return connection;
    }

    Socket socket() {
        return socket;
    }

    EventLoop loop() {
        return loop;
    }

    void setWriteBound(long bound) {
        writeBound = Math.max(MessagePool.MAX_FRAGMENT_SIZE, bound);
    }

    /**
     * Puts TLS between the socket and this connection and starts its handshake: the future
     * completes on the loop with how the handshake ended. From then on reads and writes carry
     * plaintext, through the loop. A read may start at once: it waits for the first plaintext, or
     * fails as the connection does when the handshake fails. The caller writes nothing until the
     * future completes (bytes already read stay read: a protocol that upgrades, such as STARTTLS,
     * reads up to the upgrade and no further). A second call fails the future. If TLS cannot be
     * put in place, the connection ends.
     */
    CompletableFuture<TlsNegotiation> startTls(TlsConnectionOptions options) {
        CompletableFuture<TlsNegotiation> result = new CompletableFuture<>();
        lock.lock();
        try {
            // At once, not when TLS is in place: a read may start before that, and must wait for
            // plaintext from the loop rather than take the peer's handshake bytes off the socket.
            directReads = false;
            directSends = false;
        } finally {
            lock.unlock();
        }
        loop.scheduleNow(new Task("facade-start-tls", status -> {
            try {
                if (status != TaskStatus.RUN_READY || channel.state() != ChannelState.ACTIVE) {
                    throw SocketErrors.closed();
                }
                if (tls != null) {
                    throw new SSLException("TLS was already started on this connection");
                }
                insertTls(options, result);
            } catch (Throwable t) {
                result.completeExceptionally(t);
                if (tls == null && status == TaskStatus.RUN_READY) {
                    // Nothing will read the socket for this connection now: end it, so that a reader
                    // already waiting hears of it.
                    channel.shutdown(t instanceof IoErrorException e ? e.error() : IoError.TLS_CTX_ERROR);
                }
            }
        }));
        return result;
    }

    /** On the loop: the TLS slot left of this connection's, then the switch from direct I/O to messages. */
    private void insertTls(TlsConnectionOptions options, CompletableFuture<TlsNegotiation> result) throws IoErrorException {
        ChannelSlot tlsSlot = channel.newSlot();
        slot.insertLeft(tlsSlot);
        TlsChannelHandler handler;
        try {
            handler = new TlsChannelHandler(tlsSlot, options.withOnNegotiation((tlsHandler, negotiation) -> {
                if (options.onNegotiation() != null) {
                    options.onNegotiation().onNegotiation(tlsHandler, negotiation);
                }
                result.complete(negotiation);
            }), true);
        } catch (IoErrorException | RuntimeException e) {
            tlsSlot.remove();
            throw e;
        }
        tls = handler; // readers and writers left the socket when startTls was called
        socket.observeReadable(null); // the socket handler reads from now on, for TLS
        tlsSlot.setHandler(handler);
        slot.incrementReadWindow(readWindow); // this connection takes messages from now on
        handler.startNegotiation();
    }

    /** The exception for a failed connection: TLS's reason when TLS failed, else the socket's. Under the lock. */
    private IOException failure(IoError error) {
        if (tlsFailure != null) {
            return new SSLException(tlsFailure.toString());
        }
        if (error.isTls()) {
            return new SSLException(error.description());
        }
        return SocketErrors.ioFailure(error, socket.isResetByPeer());
    }

    // ---- user threads: reading ----

    /** Up to {@code length} bytes, at least one; -1 at the end of the stream. */
    int read(byte[] bytes, int offset, int length, int timeoutMillis) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        long deadline = Blocking.deadline(timeoutMillis);
        lock.lock();
        try {
            while (true) {
                if (eofReturned) {
                    return -1; // like the JDK, -1 stays -1, even after close
                }
                if (closed) {
                    throw SocketErrors.closed();
                }
                if (inputShutdown) {
                    return -1;
                }
                if (buffered > 0) {
                    return copyOut(bytes, offset, length);
                }
                if (readFailure != null) {
                    throw failure(readFailure);
                }
                if (endOfStream) {
                    eofReturned = true;
                    return -1;
                }
                if (directReads) {
                    long seen = readableEvents;
                    int n = receiveDirectly(bytes, offset, length);
                    if (n > 0) {
                        return n;
                    }
                    if (n < 0) {
                        continue; // the end, or a failure: reported above
                    }
                    parkedReader = Thread.currentThread();
                    try {
                        if (readableEvents == seen && !parkUnlocked(deadline)) {
                            throw new SocketTimeoutException("Read timed out");
                        }
                    } finally {
                        parkedReader = null;
                    }
                    continue;
                }
                if (pollBeforeWaiting && READ_POLL_NANOS > 0 && pollForReaderEvent()) {
                    continue;
                }
                // No credit hand-back here: what a reader holds back is under a quarter of the
                // window, so the loop still has room to read into.
                long waitStart = System.nanoTime();
                boolean signalled = Blocking.await(readableCondition(), deadline);
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
     * Polls, with the lock released, for up to {@link #READ_POLL_NANOS} for anything a reader waits
     * for, yielding to other virtual threads and to the OS threads (loops) sharing this processor.
     * Under the lock.
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

    /** Parks with the lock released (a close must be able to take it), and takes it back. */
    private boolean parkUnlocked(long deadline) throws InterruptedIOException {
        lock.unlock();
        try {
            return Blocking.park(this, deadline);
        } finally {
            lock.lock();
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

    /** Wakes every thread waiting to write. Under the lock. */
    private void wakeWriters() {
        if (writable != null) {
            writable.signalAll();
        }
    }

    /** Wakes every thread waiting to read: the condition's, and a parked direct reader. Under the lock. */
    private void wakeReaders() {
        readerEvents++;
        if (readable != null) {
            readable.signalAll();
        }
        Thread reader = parkedReader;
        if (reader != null) {
            LockSupport.unpark(reader);
        }
    }

    /**
     * Receives what the kernel has into the array: the bytes received, 0 if none have arrived, -1
     * once the stream ended or failed (recorded for the caller's next look). Under the lock.
     */
    private int receiveDirectly(byte[] bytes, int offset, int length) {
        try {
            return (int) socket.receiveNow(MemorySegment.ofArray(bytes), offset, length);
        } catch (IoErrorException e) {
            if (!socket.isOpen()) {
                // Closed on the loop: the channel is going down and will say how; until then, wait.
                directReads = false;
            } else if (e.error() == IoError.SOCKET_CLOSED && !socket.isResetByPeer()) {
                endOfStream = true;
            } else {
                readFailure = e.error();
            }
            return -1;
        }
    }

    /** Bytes a read can take without waiting. */
    int available() throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw SocketErrors.closed();
            }
            if (inputShutdown) {
                return 0;
            }
            long readable = buffered + (directReads ? socket.bytesReadable() : 0);
            return (int) Math.min(readable, Integer.MAX_VALUE);
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
            loop.scheduleNow(creditTask);
        }
    }

    // ---- user threads: writing ----

    void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        int sent = sendDirectly(bytes, offset, length);
        offset += sent;
        length -= sent;
        while (length > 0) {
            int n = appendToLast(bytes, offset, length);
            if (n == 0) {
                IoMessage message = pool.acquire(MessagePool.MAX_FRAGMENT_SIZE, channel);
                n = Math.min(length, message.capacity());
                MemorySegment.copy(bytes, offset, message.buffer(), ValueLayout.JAVA_BYTE, 0, n);
                message.setLength(n);
                handOver(message);
            }
            offset += n;
            length -= n;
        }
    }

    /**
     * Sends all it can directly: everything, unless the channel needs the loop to write (then 0,
     * or what was sent before that became so). Parks while the kernel's buffer is full.
     */
    private int sendDirectly(byte[] bytes, int offset, int length) throws IOException {
        int sent = 0;
        lock.lock();
        try {
            while (sent < length) {
                ensureWritable();
                if (!directSends || inFlight > 0) {
                    return sent; // the loop writes from here on (or still has earlier bytes to write)
                }
                if (!kernelFull) {
                    long n;
                    try {
                        n = socket.sendNow(MemorySegment.ofArray(bytes), offset + sent, length - sent);
                    } catch (IoErrorException e) {
                        writeFailure = e.error();
                        throw failure(e.error());
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
                    loop.scheduleNow(watchWritableTask);
                }
                Blocking.await(writableCondition(), 0);
            }
            return sent;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends one byte of TCP urgent data behind everything written before it. Plain connections
     * only: between TLS records it would break the stream (JSSE refuses urgent data too).
     */
    void sendUrgentData(int data) throws IOException {
        lock.lock();
        try {
            ensureWritable();
            if (!directSends) {
                throw new SocketException("Urgent data not supported over TLS");
            }
            boolean sent;
            try {
                sent = socket.sendUrgentNow((byte) data);
            } catch (IoErrorException e) {
                writeFailure = e.error();
                throw failure(e.error());
            }
            if (!sent) {
                throw new SocketException("No buffer space available"); // the JDK's words when the kernel's buffer is full
            }
        } finally {
            lock.unlock();
        }
    }

    /** On the loop: ask the socket to say when the kernel has room again. */
    private void watchWritable(TaskStatus status) {
        if (status == TaskStatus.RUN_READY && socket.isOpen()) {
            socket.notifyWhenWritable(this::onSocketWritable);
        } else {
            onSocketWritable();
        }
    }

    private void onSocketWritable() {
        lock.lock();
        try {
            kernelFull = false;
            writableRequested = false;
            wakeWriters();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for room, then appends to the last message not yet taken by the loop; 0 if there is none. */
    private int appendToLast(byte[] bytes, int offset, int length) throws IOException {
        lock.lock();
        try {
            while (true) {
                ensureWritable();
                if (inFlight < writeBound) {
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
                ensureWritable();
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
                loop.scheduleNow(flushTask);
            }
        } finally {
            lock.unlock();
        }
    }

    private void ensureWritable() throws IOException {
        if (closed) {
            throw SocketErrors.closed();
        }
        if (outputShutdown) {
            throw new SocketException("Socket output is shutdown");
        }
        if (writeFailure != null) {
            throw failure(writeFailure);
        }
    }

    // ---- user threads: half-close and close ----

    /** Sends FIN once everything written so far has reached the kernel. */
    void shutdownOutput() {
        lock.lock();
        try {
            if (outputShutdown || closed) {
                return;
            }
            outputShutdown = true;
            wakeWriters();
        } finally {
            lock.unlock();
        }
        loop.scheduleNow(new Task("facade-shutdown-output", status -> {
            lock.lock();
            try {
                shutdownOutputPending = true;
                shutdownOutputIfFlushed();
            } finally {
                lock.unlock();
            }
        }));
    }

    /** Reads return -1 from now on; what is buffered or arrives later is dropped. */
    void shutdownInput() {
        lock.lock();
        try {
            if (inputShutdown || closed) {
                return;
            }
            inputShutdown = true;
            discardIncoming();
            wakeReaders();
            scheduleCredit();
        } finally {
            lock.unlock();
        }
        loop.scheduleNow(new Task("facade-shutdown-input", status -> {
            try {
                if (status == TaskStatus.RUN_READY && socket.isOpen()) {
                    socket.shutdownInput();
                }
            } catch (IoErrorException e) {
                // the connection ended meanwhile: reads already return -1
            }
        }));
    }

    /**
     * Fails blocked and later calls with "Socket closed", then (on the loop) flushes what was
     * written and shuts the channel down; with {@code reset}, drops what is queued and resets.
     */
    void close(boolean reset) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            discardIncoming();
            wakeReaders();
            wakeWriters();
        } finally {
            lock.unlock();
        }
        loop.scheduleNow(new Task("facade-close", status -> {
            if (reset) {
                abort();
                return;
            }
            lock.lock();
            try {
                closeWhenFlushed = true;
                shutdownIfFlushed();
                if (closeWhenFlushed) {
                    loop.scheduleFuture(new Task("facade-close-limit", s -> abortIfStillFlushing()),
                            loop.currentTimeNanos() + CLOSE_FLUSH_LIMIT_NANOS);
                }
            } finally {
                lock.unlock();
            }
        }));
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
            abort(); // the peer stopped reading: give up on what is left
        }
    }

    /**
     * Resets the connection now (SO_LINGER 0), dropping whatever is still queued. On the loop. The
     * shutdown says the socket is closed, not clean: TLS then sends no close_notify, which would
     * tell the peer the stream ended in order (the JDK's reset of a layered SSLSocket's socket
     * sends none either).
     */
    private void abort() {
        try {
            if (socket.isOpen()) {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IoErrorException e) {
            // already gone: nothing to reset
        }
        channel.shutdown(IoError.SOCKET_CLOSED);
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

    /** The socket turned readable (the loop thread): wake a direct reader waiting for it. */
    private void onSocketReadable() {
        readableEvents = readableEvents + 1;
        Thread reader = parkedReader;
        if (reader != null) {
            LockSupport.unpark(reader);
        }
    }

    /** A read message from the channel (the loop thread). */
    void onRead(IoMessage message) {
        lock.lock();
        try {
            if (message.tag() == IoMessage.TAG_END_OF_STREAM) {
                message.release();
                endOfStream = true;
            } else if (closed || inputShutdown || message.tag() == IoMessage.TAG_TLS_NEGOTIATED_PROTOCOL) {
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
            wakeReadersAfterBatch();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Wakes readers once the loop has handed over all it has now (one socket read's records come
     * one message each): waking them for each message cost a thread wake-up per TLS record, and a
     * reader woken early only parks again. Under the lock, on the loop.
     */
    private void wakeReadersAfterBatch() {
        if (!readersWakeScheduled) {
            readersWakeScheduled = true;
            if (wakeReadersTask == null) {
                wakeReadersTask = new Task("facade-wake-readers", status -> {
                    lock.lock();
                    try {
                        readersWakeScheduled = false;
                        wakeReaders();
                    } finally {
                        lock.unlock();
                    }
                });
            }
            loop.scheduleNow(wakeReadersTask);
        }
    }

    /** The read direction shut down: the channel is going away. */
    void onReadShutdown(IoError error) {
        TlsFailure failed = tls == null ? null : tls.failureAfterHandshake();
        lock.lock();
        try {
            tlsFailure = failed;
            channelDown = true;
            directSends = false;
            directReads = false;
            if (error == null || (error == IoError.SOCKET_CLOSED && !socket.isResetByPeer())) {
                endOfStream = true;
            } else {
                readFailure = error;
            }
            if (writeFailure == null) {
                writeFailure = error == null ? IoError.SOCKET_CLOSED : error;
            }
            wakeReaders();
            wakeWriters();
        } finally {
            lock.unlock();
        }
    }

    /** The write direction shut down: nothing queued will be sent any more. */
    void onWriteShutdown() {
        lock.lock();
        try {
            directSends = false;
            dropOutgoing();
            wakeWriters();
        } finally {
            lock.unlock();
        }
    }

    /** {@code length} bytes written by this connection reached the socket, or could not. */
    void onWriteCompleted(int length, IoError error) {
        lock.lock();
        try {
            inFlight -= length;
            if (error != null && writeFailure == null) {
                writeFailure = error;
            }
            // Writers wait for half the bound to drain, not for each record: a wake-up per
            // record cost the loop more than the record's encryption.
            if (error != null || inFlight <= writeBound / 2) {
                wakeWriters();
            }
            shutdownOutputIfFlushed();
            shutdownIfFlushed();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The channel released the connection's handler. Bytes that arrived before the end stay
     * readable (the JDK's ReadAfterReset); close() returns them to the pool.
     */
    void onDestroyed() {
        lock.lock();
        try {
            channelDown = true;
            directSends = false;
            dropOutgoing();
            wakeReaders();
            wakeWriters();
        } finally {
            lock.unlock();
        }
    }

    /** Releases what waits to be handed to the loop: it will never be sent. Under the lock. */
    private void dropOutgoing() {
        if (outgoing == null) {
            return;
        }
        for (IoMessage message = outgoing.poll(); message != null; message = outgoing.poll()) {
            inFlight -= message.length();
            message.release();
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
            socket.holdWrites(); // what the messages become (TLS records) leaves in one sendmsg
        }
        try {
            for (IoMessage message = sending.poll(); message != null; message = sending.poll()) {
                if (status == TaskStatus.CANCELED || channel.state() != ChannelState.ACTIVE) {
                    dropWrite(message, IoError.SOCKET_CLOSED);
                    continue;
                }
                // The length goes along: a handler between may complete the write with another message
                // (TLS: the record that carried the bytes), as aws-c-io's handlers do.
                message.onCompletion(handler, message.length());
                try {
                    slot.sendMessage(message, ChannelDirection.WRITE);
                } catch (IoErrorException e) {
                    dropWrite(message, e.error());
                }
            }
        } finally {
            if (hold) {
                socket.releaseWrites();
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
            if (writeFailure == null) {
                writeFailure = error;
            }
            wakeWriters();
        } finally {
            lock.unlock();
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
            slot.incrementReadWindow(granted);
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
            channel.shutdown(null);
        }
    }
}
