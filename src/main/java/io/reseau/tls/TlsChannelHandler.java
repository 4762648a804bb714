package io.reseau.tls;

import io.reseau.channel.ChannelDirection;
import io.reseau.channel.ChannelHandler;
import io.reseau.channel.ChannelSlot;
import io.reseau.channel.ChannelTask;
import io.reseau.channel.IoMessage;
import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoopLocal;
import io.reseau.eventloop.TaskStatus;
import io.reseau.internal.ffi.S2n;
import io.reseau.internal.ffi.S2nError;
import io.reseau.internal.ffi.S2nIo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * TLS in a channel, through s2n (aws-c-io's s2n channel handler): ciphertext from the left is
 * queued for s2n to read, what s2n writes goes left as messages, plaintext goes right. Every s2n
 * call runs on the channel's loop thread: s2n keeps its error per OS thread.
 *
 * <p>A client starts negotiating when {@link #startNegotiation()} is called; a server with the first
 * bytes from its client. The negotiation is driven by each incoming message, under a timeout;
 * bytes that cannot be TLS fail it as soon as their record header shows it
 * ({@link HandshakeRecordCheck}), not at the timeout.
 * Handshake bytes re-open the read window at once; afterwards the window follows the handler to
 * the right, plus the per-record overhead. Writes must wait for the negotiation (before it they
 * fail with {@code TLS_ERROR_NOT_NEGOTIATED}); a write's completion comes with the last record
 * that carries it. Closing waits out s2n's blinding delay (after most failures, seconds) before it
 * sends close_notify or the alert, on a timer, never a sleeping thread, where and as long as
 * {@link BlindingDelays} says. Plaintext already decrypted reaches the right before the read side
 * finishes shutting down.
 *
 * <p>With {@code halfClose}, the peer's close_notify reaches the right as a
 * {@link IoMessage#TAG_END_OF_STREAM} message, as the socket handler does in that mode, and the
 * channel stays up for writing; otherwise the channel shuts down, as aws-c-io does.
 */
public final class TlsChannelHandler implements ChannelHandler {
    /** Bytes a record adds to what it carries, at most (aws-c-io's estimate). */
    static final int RECORD_OVERHEAD = 53;
    static final int MAX_RECORD_SIZE = 16 * 1024;
    /** The window before the handshake is done: room for the peer's first flight. */
    static final int HANDSHAKE_WINDOW = 7 * 1024;

    private enum State { NEGOTIATING, SUCCEEDED, FAILED }

    // The out-parameter of s2n's I/O calls: one per loop, used by one call at a time.
    private static final EventLoopLocal<Scratch> SCRATCH = new EventLoopLocal<>(loop -> new Scratch(), Scratch::close);

    private final ChannelSlot slot;
    private final TlsConnectionOptions options;
    private final boolean client;
    private final boolean halfClose;
    private final S2nConnection s2n;
    private final MemorySegment connection;
    private final Transport transport = new Transport();
    private final ArrayDeque<IoMessage> input = new ArrayDeque<>(4); // ciphertext s2n has still to read
    private final List<IoMessage> output = new ArrayList<>(4); // ciphertext s2n wrote during the current call
    private State state = State.NEGOTIATING;
    private ChannelTask negotiationTimeout; // scheduled once, on the first negotiation step
    private HandshakeRecordCheck recordCheck; // while negotiating
    private TlsNegotiation negotiation;
    private TlsFailure failureAfterHandshake;
    private boolean transportEnded; // the socket's end of stream arrived (half-close mode)
    private boolean closeNotifyReceived;
    private boolean decryptScheduled;
    private boolean readShutdownPending;
    private IoError pendingReadShutdownError;
    private boolean readShutDown;
    private boolean writeShutDown;
    private boolean destroyed;

    /**
     * Creates the s2n connection for {@code slot} (loop thread only). The caller installs the
     * handler in the slot, then starts a client's negotiation.
     *
     * @throws IllegalStateException if the context is closed
     * @throws IllegalArgumentException if the context needs a peer verifier and the options have none
     */
    public TlsChannelHandler(ChannelSlot slot, TlsConnectionOptions options, boolean halfClose) throws IoErrorException {
        this.slot = Objects.requireNonNull(slot, "slot");
        this.options = Objects.requireNonNull(options, "options");
        if (!slot.channel().isOnLoopThread()) {
            throw new IllegalStateException("a TLS handler is created on its channel's loop thread");
        }
        this.client = options.context().options().mode() == TlsMode.CLIENT;
        this.halfClose = halfClose;
        this.s2n = S2nConnection.open(options, transport, null);
        this.connection = s2n.handle();
        this.recordCheck = new HandshakeRecordCheck(client);
    }

    /** Starts a client's handshake (a server's starts with the client's first bytes). Loop thread only. */
    public void startNegotiation() {
        if (state == State.NEGOTIATING && client) {
            driveNegotiation();
        }
    }

    /** How the handshake ended, or null while it goes on. */
    public TlsNegotiation negotiation() {
        return negotiation;
    }

    public TlsConnectionOptions options() {
        return options;
    }

    // ---- reads ----

    @Override
    public void processReadMessage(ChannelSlot slot, IoMessage message) throws IoErrorException {
        if (readShutDown) {
            message.release();
            return;
        }
        if (state == State.FAILED) {
            throw new IoErrorException(IoError.TLS_ERROR_NEGOTIATION_FAILURE, "TLS negotiation failed: " + negotiation.failure());
        }
        String notTls = null;
        if (message.tag() == IoMessage.TAG_END_OF_STREAM) {
            message.release();
            transportEnded = true;
        } else {
            if (state == State.NEGOTIATING) {
                notTls = recordCheck.follow(message.buffer(), message.length());
            }
            input.add(message);
        }
        if (notTls != null) {
            fail(IoError.TLS_ERROR_NEGOTIATION_FAILURE, null, notTls);
            return;
        }
        if (state == State.NEGOTIATING) {
            int length = message.length();
            driveNegotiation();
            if (state == State.NEGOTIATING && transportEnded) {
                fail(IoError.TLS_ERROR_NEGOTIATION_FAILURE, null, "the peer closed the connection during the handshake");
            } else if (state != State.FAILED) {
                slot.incrementReadWindow(length); // handshake bytes make room for more at once
            }
            return;
        }
        decrypt();
    }

    @Override
    public void incrementReadWindow(ChannelSlot slot, long size) {
        if (readShutDown) {
            return;
        }
        // The left must be able to send whole records for what the right can take.
        long downstream = slot.downstreamReadWindow();
        long records = (downstream + MAX_RECORD_SIZE - 1) / MAX_RECORD_SIZE;
        long desired = downstream >= Long.MAX_VALUE - records * RECORD_OVERHEAD ? Long.MAX_VALUE : downstream + records * RECORD_OVERHEAD;
        long granted = slot.grantedWindow();
        if (desired > granted) {
            slot.incrementReadWindow(desired - granted);
        }
        if (state == State.SUCCEEDED) {
            scheduleDecrypt(); // records may already sit in s2n or in the queue, with no new bytes to come
        }
    }

    private void scheduleDecrypt() {
        if (!decryptScheduled) {
            decryptScheduled = true;
            slot.channel().scheduleTaskNow(new ChannelTask("tls-decrypt", status -> {
                decryptScheduled = false;
                if (status == TaskStatus.RUN_READY) {
                    decrypt();
                }
            }));
        }
    }

    /** Decrypts what the window to the right allows, and sends it right. */
    private void decrypt() {
        if (state != State.SUCCEEDED || closeNotifyReceived || readShutDown || destroyed) {
            return;
        }
        long window = slot.right() == null ? 0 : slot.downstreamReadWindow();
        Scratch scratch = SCRATCH.get(slot.channel().eventLoop());
        long delivered = 0;
        boolean stopped = false; // s2n has nothing more for now, or the stream ended or failed
        while (delivered < window) {
            IoMessage plaintext = slot.channel().acquireMessage((int) Math.min(window - delivered, MAX_RECORD_SIZE));
            long n = S2n.recv(connection, plaintext.buffer(), plaintext.capacity(), scratch.blocked);
            S2nError error = n < 0 ? S2n.lastError() : null;
            flushOutput(null); // a read may answer the peer (a key update)
            if (n > 0) {
                plaintext.setLength((int) n);
                delivered += n;
                try {
                    slot.sendMessage(plaintext, ChannelDirection.READ);
                } catch (IoErrorException e) {
                    plaintext.release();
                    slot.channel().shutdown(e.error());
                    return;
                }
                continue;
            }
            plaintext.release();
            stopped = true;
            if (n == 0 || (error.type() == S2n.ERR_T_CLOSED)) {
                onPeerClosed();
            } else if (!error.isBlocked()) {
                readFailed(error);
                return;
            } else if (transportEnded) {
                // The connection ended without close_notify: what came is all there will be.
                onPeerClosed();
            }
            break;
        }
        if (stopped && input.isEmpty()) {
            releaseBuffers();
        }
        if (readShutdownPending && (stopped || window == 0)) {
            completeReadShutdown();
        }
    }

    private void onPeerClosed() {
        closeNotifyReceived = true;
        if (!halfClose) {
            slot.channel().shutdown(null);
            return;
        }
        slot.sendEndOfStream();
    }

    private void readFailed(S2nError error) {
        failureAfterHandshake = s2n.failure(IoError.TLS_ERROR_READ_FAILURE, error, error.message());
        slot.channel().shutdown(IoError.TLS_ERROR_READ_FAILURE);
    }

    /** Why the connection failed after its handshake (a bad record, an alert), or null. */
    public TlsFailure failureAfterHandshake() {
        return failureAfterHandshake;
    }

    // ---- writes ----

    @Override
    public void processWriteMessage(ChannelSlot slot, IoMessage message) throws IoErrorException {
        if (state != State.SUCCEEDED) {
            throw new IoErrorException(IoError.TLS_ERROR_NOT_NEGOTIATED, "TLS is not negotiated yet");
        }
        if (writeShutDown) {
            throw new IoErrorException(IoError.TLS_ERROR_WRITE_FAILURE, "the TLS connection is closing");
        }
        Scratch scratch = SCRATCH.get(slot.channel().eventLoop());
        long n = S2n.send(connection, message.buffer(), message.length(), scratch.blocked);
        if (n != message.length()) {
            S2nError error = n < 0 ? S2n.lastError() : null;
            discardOutput();
            throw new IoErrorException(IoError.TLS_ERROR_WRITE_FAILURE,
                    "TLS write failed" + (error != null ? ": " + error : " after " + n + " of " + message.length() + " bytes"));
        }
        flushOutput(message);
        message.release();
        releaseBuffers();
    }

    /**
     * Sends left what s2n wrote during the last call; the last record carries {@code completing}'s
     * completion, so the writer hears of it when all its bytes are on their way.
     */
    private void flushOutput(IoMessage completing) {
        if (output.isEmpty() && completing != null && completing.completion() != null) {
            completing.completion().onWriteCompleted(slot.channel(), completing, null, completing.completionContext());
            return;
        }
        for (int i = 0; i < output.size(); i++) {
            IoMessage record = output.get(i);
            if (i == output.size() - 1 && completing != null && completing.completion() != null) {
                record.onCompletion(completing.completion(), completing.completionContext());
            }
            try {
                slot.sendMessage(record, ChannelDirection.WRITE);
            } catch (IoErrorException e) {
                for (int j = i; j < output.size(); j++) {
                    output.get(j).release();
                }
                output.clear();
                slot.channel().shutdown(e.error());
                return;
            }
        }
        output.clear();
    }

    private void discardOutput() {
        output.forEach(IoMessage::release);
        output.clear();
    }

    // ---- negotiation ----

    private void driveNegotiation() {
        armTimeout();
        Scratch scratch = SCRATCH.get(slot.channel().eventLoop());
        int result = S2n.negotiate(connection, scratch.blocked);
        S2nError error = result == 0 ? null : S2n.lastError(); // at once, on this thread
        flushOutput(null);
        if (result == 0) {
            onNegotiated();
        } else if (!error.isBlocked()) {
            fail(IoError.TLS_ERROR_NEGOTIATION_FAILURE, error, s2n.refusal() != null ? s2n.refusal() : error.message());
        }
    }

    private void armTimeout() {
        long timeout = options.effectiveNegotiationTimeout().toNanos();
        if (negotiationTimeout != null || timeout <= 0) {
            return;
        }
        negotiationTimeout = new ChannelTask("tls-negotiation-timeout", status -> {
            if (status == TaskStatus.RUN_READY && state == State.NEGOTIATING) {
                fail(IoError.TLS_NEGOTIATION_TIMEOUT, null,
                        "no TLS handshake within " + options.effectiveNegotiationTimeout().toMillis() + " ms");
            }
        });
        slot.channel().scheduleTaskFuture(negotiationTimeout, slot.channel().currentTimeNanos() + timeout);
    }

    private void onNegotiated() {
        state = State.SUCCEEDED;
        recordCheck = null;
        negotiation = s2n.negotiated();
        // Before the listener, as aws-c-io: handlers it installs must not take the name for data.
        if (negotiation.applicationProtocol() != null && slot.right() != null) {
            announceProtocol(negotiation.applicationProtocol());
        }
        if (options.onNegotiation() != null) {
            options.onNegotiation().onNegotiation(this, negotiation);
        }
        s2n.handshakeFinished(); // everything above read what it needed from it
        if (negotiationTimeout != null) {
            slot.channel().cancelTask(negotiationTimeout);
            negotiationTimeout = null;
        }
        // Application data may have come with the peer's last flight.
        if (!input.isEmpty() || S2n.peek(connection) > 0) {
            decrypt();
        } else {
            releaseBuffers();
        }
    }

    /**
     * Gives s2n's record buffers back while they hold nothing: an idle connection then keeps a few
     * kilobytes instead of two record-sized buffers. s2n keeps a buffer that still holds bytes.
     */
    private void releaseBuffers() {
        S2n.connectionReleaseBuffers(connection);
    }

    /**
     * Tells the handler to the right which ALPN protocol was agreed, as aws-c-io does: a
     * {@link IoMessage#TAG_TLS_NEGOTIATED_PROTOCOL} message holding its name (an {@link AlpnHandler}
     * there installs the protocol's handler).
     */
    private void announceProtocol(String protocol) {
        byte[] name = protocol.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        IoMessage message = slot.channel().acquireMessage(name.length);
        MemorySegment.copy(name, 0, message.buffer(), ValueLayout.JAVA_BYTE, 0, name.length);
        message.setLength(name.length);
        message.setTag(IoMessage.TAG_TLS_NEGOTIATED_PROTOCOL);
        try {
            slot.sendMessage(message, ChannelDirection.READ);
        } catch (IoErrorException e) {
            message.release();
            slot.channel().shutdown(e.error());
        }
    }

    private void fail(IoError error, S2nError s2nError, String message) {
        if (state != State.NEGOTIATING) {
            return;
        }
        state = State.FAILED;
        TlsFailure failure = s2n.failure(error, s2nError, message);
        negotiation = TlsNegotiation.failed(failure);
        if (options.onNegotiation() != null) {
            options.onNegotiation().onNegotiation(this, negotiation);
        }
        slot.channel().shutdown(error);
    }

    // ---- shutdown ----

    @Override
    public void shutdown(ChannelSlot slot, ChannelDirection direction, IoError error, boolean freeScarceResourcesImmediately) {
        if (direction == ChannelDirection.READ) {
            if (state == State.NEGOTIATING) {
                fail(error != null ? error : IoError.TLS_ERROR_NEGOTIATION_FAILURE, null,
                        "the connection closed during the TLS handshake");
            }
            if (!freeScarceResourcesImmediately && state == State.SUCCEEDED && !closeNotifyReceived
                    && (!input.isEmpty() || S2n.peek(connection) > 0) && slot.right() != null) {
                // Plaintext the right has not had yet goes first (aws-c-io PR #650).
                readShutdownPending = true;
                pendingReadShutdownError = error;
                scheduleDecrypt();
                return;
            }
            finishReadShutdown(error, freeScarceResourcesImmediately);
            return;
        }
        if (freeScarceResourcesImmediately || error == IoError.SOCKET_CLOSED) {
            finishWriteShutdown(error, freeScarceResourcesImmediately, false);
            return;
        }
        // Self-service blinding: after a failure s2n asks for a delay before the close shows.
        long delay = BlindingDelays.delayNanos(connection, failedWith());
        boolean waits = delay > 0;
        if (waits && !BlindingDelays.tryEnter()) {
            finishWriteShutdown(error, false, false); // too many wait already: close now (s2n says nothing during its delay)
            return;
        }
        if (waits) {
            // The delay needs only what writes the last alert: the handshake's state goes now.
            S2n.connectionFreeHandshake(connection);
            S2n.connectionReleaseBuffers(connection);
        }
        slot.channel().scheduleTaskFuture(new ChannelTask("tls-close", status -> {
            if (waits) {
                BlindingDelays.leave();
            }
            finishWriteShutdown(error, false, status == TaskStatus.RUN_READY);
        }), slot.channel().currentTimeNanos() + delay);
    }

    /**
     * Sends close_notify now and refuses later writes, leaving the read side open: TLS's half-close
     * (a socket's {@code shutdownOutput}). Loop thread only; does nothing before the handshake
     * succeeded or once the write side is closed.
     */
    public void closeOutput() {
        if (state != State.SUCCEEDED || writeShutDown || destroyed) {
            return;
        }
        Scratch scratch = SCRATCH.get(slot.channel().eventLoop());
        if (S2n.shutdownSend(connection, scratch.blocked) == 0) {
            flushOutput(null);
        } else {
            discardOutput();
        }
        writeShutDown = true; // after: the close_notify itself goes out through the transport
    }

    private void completeReadShutdown() {
        readShutdownPending = false;
        finishReadShutdown(pendingReadShutdownError, false);
    }

    private void finishReadShutdown(IoError error, boolean immediately) {
        readShutDown = true;
        releaseInput();
        slot.onHandlerShutdownComplete(ChannelDirection.READ, error, immediately);
    }

    /**
     * With {@code sendCloseNotify}, lets s2n send what it has to say last: close_notify, or after a
     * failure the alert it queued (so the peer learns why), as aws-c-io's handler does; a client
     * refused for want of a certificate gets the {@link CertificateRequiredAlert} instead.
     */
    private void finishWriteShutdown(IoError error, boolean immediately, boolean sendCloseNotify) {
        if (sendCloseNotify && !destroyed && !writeShutDown) {
            Scratch scratch = SCRATCH.get(slot.channel().eventLoop());
            byte[] refusal = CertificateRequiredAlert.answering(connection, failedWith());
            if (refusal != null) {
                transport.send(MemorySegment.ofArray(refusal));
                flushOutput(null);
            } else if (S2n.shutdownSend(connection, scratch.blocked) == 0) {
                flushOutput(null);
            } else {
                discardOutput(); // best effort: the peer learns of the end from the socket
            }
        }
        writeShutDown = true;
        slot.onHandlerShutdownComplete(ChannelDirection.WRITE, error, immediately);
    }

    /** The name of the s2n error that failed the connection, or null. */
    private String failedWith() {
        TlsFailure failure = failureAfterHandshake != null ? failureAfterHandshake
                : negotiation != null ? negotiation.failure() : null;
        return failure != null ? failure.s2nError() : null;
    }

    private void releaseInput() {
        for (IoMessage message = input.poll(); message != null; message = input.poll()) {
            message.release();
        }
    }

    @Override
    public long initialWindowSize() {
        return HANDSHAKE_WINDOW;
    }

    @Override
    public long messageOverhead() {
        return RECORD_OVERHEAD;
    }

    @Override
    public void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        releaseInput();
        discardOutput();
        s2n.free();
    }

    @Override
    public String toString() {
        return "TlsChannelHandler[" + (client ? "client" : "server") + ", " + state
                + (options.serverName() != null ? ", " + options.serverName() : "") + "]";
    }

    /** The bytes s2n reads and writes: the queued ciphertext, and records sent left. */
    private final class Transport implements S2nIo {
        @Override
        public int receive(MemorySegment buffer) {
            int copied = 0;
            int wanted = (int) buffer.byteSize();
            while (copied < wanted && !input.isEmpty()) {
                IoMessage head = input.peek();
                int n = Math.min(wanted - copied, head.length() - head.copyMark());
                MemorySegment.copy(head.buffer(), head.copyMark(), buffer, copied, n);
                copied += n;
                head.setCopyMark(head.copyMark() + n);
                if (head.copyMark() == head.length()) {
                    input.poll().release();
                }
            }
            if (copied > 0) {
                return copied;
            }
            return transportEnded ? 0 : BLOCKED;
        }

        @Override
        public int send(MemorySegment buffer) {
            if (writeShutDown || destroyed) {
                return BROKEN;
            }
            // The records of one call (a handshake flight: six records from a server) share whole
            // messages: each message is a sendmsg, and each arrival wakes the peer's loop to negotiate.
            long sent = 0;
            while (sent < buffer.byteSize()) {
                IoMessage last = output.isEmpty() ? null : output.getLast();
                if (last == null || last.remaining() == 0) {
                    last = slot.acquireMaxMessageForWrite();
                    output.add(last);
                }
                int n = (int) Math.min(last.remaining(), buffer.byteSize() - sent);
                MemorySegment.copy(buffer, sent, last.buffer(), last.length(), n);
                last.setLength(last.length() + n);
                sent += n;
            }
            return (int) sent;
        }
    }

    /** The {@code s2n_blocked_status} out-parameter, per loop. */
    private static final class Scratch {
        private final Arena arena = Arena.ofShared();
        final MemorySegment blocked = arena.allocate(ValueLayout.JAVA_INT);

        void close() {
            arena.close();
        }
    }
}
